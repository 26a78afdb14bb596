//! Where the expectation marks sit on the time slider, so that none hides another: marks closer than a mark's
//! pitch (several claims checked at one time, or within a few pixels of each other on a narrow slider) stand
//! side by side, centred on where they belong, and never leave the slider.
//! This file has no imports: `tests/ui_layout.rs` compiles it natively (`ui` is wasm-only).

/// A run of neighbouring marks placed as one block.
struct Cluster {
    /// Index of its first mark.
    first: usize,
    /// How many marks it holds.
    count: usize,
    /// Sum of where its marks belong (their mean is the block's centre).
    wanted_sum: f64,
    /// Centre of its first mark.
    left: f64,
}

/// The centre of each mark, in pixels, from where each belongs (`wanted`, in time order, so non-decreasing),
/// `pitch` pixels apart at least, between `min` and `max`. Marks that do not crowd each other stay where they
/// belong; a crowd is centred on the mean of its marks (and moved inside the slider when that end is near).
/// If the slider cannot hold them all apart, the crowd starts at `min` and the overflow goes past `max`.
pub fn spread(wanted: &[f64], pitch: f64, min: f64, max: f64) -> Vec<f64> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, &x) in wanted.iter().enumerate() {
        let mut cluster = Cluster { first: i, count: 1, wanted_sum: x, left: 0.0 };
        place(&mut cluster, pitch, min, max);
        // Merge with the block before while the two overlap.
        while let Some(previous) = clusters.last() {
            if previous.left + previous.count as f64 * pitch <= cluster.left {
                break;
            }
            let previous = clusters.pop().expect("checked above");
            cluster = Cluster {
                first: previous.first,
                count: previous.count + cluster.count,
                wanted_sum: previous.wanted_sum + cluster.wanted_sum,
                left: 0.0,
            };
            place(&mut cluster, pitch, min, max);
        }
        clusters.push(cluster);
    }
    let mut out = vec![0.0; wanted.len()];
    for cluster in &clusters {
        for k in 0..cluster.count {
            out[cluster.first + k] = cluster.left + k as f64 * pitch;
        }
    }
    out
}

/// Centres the block on the mean of its marks, kept between `min` and `max`.
fn place(cluster: &mut Cluster, pitch: f64, min: f64, max: f64) {
    let span = (cluster.count - 1) as f64 * pitch;
    let centred = cluster.wanted_sum / cluster.count as f64 - span / 2.0;
    cluster.left = centred.min(max - span).max(min);
}
