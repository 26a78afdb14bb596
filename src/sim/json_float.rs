//! Shortest round-trip decimal digits of a double, and the JSON text serde_json writes for it (`0.25`,
//! `100.0`, `1e-7`, `1.5e+300`). Exact big-integer arithmetic instead of a fast float formatter: floats are
//! written rarely (probabilities in files and links, a few UI coordinates), and this keeps the formatter's
//! tables out of the web bundle. A test compares the text with `zmij` (serde_json's formatter) on random
//! doubles.

/// A big unsigned integer in base 10^9 limbs, least significant first (only what the digit search needs).
struct Big(Vec<u32>);

const BASE: u64 = 1_000_000_000;

impl Big {
    fn new(n: u64) -> Big {
        Big(vec![(n % BASE) as u32, ((n / BASE) % BASE) as u32, (n / BASE / BASE) as u32])
    }

    /// self *= k (k < 2^32).
    fn mul(&mut self, k: u64) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut() {
            let x = u64::from(*limb) * k + carry;
            *limb = (x % BASE) as u32;
            carry = x / BASE;
        }
        while carry > 0 {
            self.0.push((carry % BASE) as u32);
            carry /= BASE;
        }
    }

    /// self *= base^n, in steps small enough for [`Big::mul`].
    fn mul_pow(&mut self, base: u64, mut n: u32, step: u32) {
        let chunk = base.pow(step);
        while n >= step {
            self.mul(chunk);
            n -= step;
        }
        self.mul(base.pow(n));
    }

    /// The decimal digits, without leading zeros (empty for zero).
    fn digits(&self) -> String {
        let mut text = String::new();
        for limb in self.0.iter().rev() {
            if !text.is_empty() {
                text.push_str(&format!("{limb:09}"));
            } else if *limb != 0 {
                text = limb.to_string();
            }
        }
        text
    }
}

/// The exact value `w · 2^e` as significant digits (no leading or trailing zeros) and the position of the
/// decimal point: the value is `0.DIGITS × 10^point`.
fn exact(w: u64, e: i32) -> (String, i32) {
    let mut big = Big::new(w);
    let scale = if e >= 0 {
        big.mul_pow(2, e as u32, 30);
        0
    } else {
        // w · 2^e = w · 5^-e / 10^-e
        big.mul_pow(5, (-e) as u32, 13);
        e
    };
    let digits = big.digits();
    let point = digits.len() as i32 + scale;
    (digits.trim_end_matches('0').to_string(), point)
}

/// Compares two values given as [`exact`] returns them (both positive).
fn less(a: &(String, i32), b: &(String, i32)) -> std::cmp::Ordering {
    a.1.cmp(&b.1).then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
}

/// `digits[..p]` rounded up by one unit in the last place.
fn increment(digits: &str, point: i32) -> (String, i32) {
    let mut bytes = digits.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last != b'9' {
            bytes.push(last + 1);
            return (String::from_utf8(bytes).unwrap_or_default(), point);
        }
    }
    ("1".to_string(), point + 1)
}

/// The shortest digits that read back as `x` (finite, > 0), the closest to `x` among them (ties to an even
/// last digit), as `(digits, point)` with the value `0.DIGITS × 10^point`.
pub fn shortest_digits(x: f64) -> (String, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 { (frac, -1074) } else { (frac | (1u64 << 52), biased - 1075) };
    let value = exact(4 * m, e - 2);
    // At most 15 significant digits: nothing shorter lies within half a unit in the last place.
    if value.0.len() <= 15 {
        return value;
    }
    // The numbers that read back as x lie between the midpoints to its neighbours (included when m is even).
    let low_gap = if frac == 0 && biased > 1 { 1 } else { 2 };
    let low = exact(4 * m - low_gap, e - 2);
    let high = exact(4 * m + 2, e - 2);
    let even = m % 2 == 0;
    let above_low = |c: &(String, i32)| less(c, &low).is_gt() || (even && less(c, &low).is_eq());
    let below_high = |c: &(String, i32)| less(c, &high).is_lt() || (even && less(c, &high).is_eq());
    let (digits, point) = &value;
    for p in 1..digits.len() {
        let floor = (digits[..p].trim_end_matches('0').to_string(), *point);
        let ceil = increment(&digits[..p], *point);
        let ceil = (ceil.0.trim_end_matches('0').to_string(), ceil.1);
        match (above_low(&floor), below_high(&ceil)) {
            (true, true) => {
                let rest = &digits[p..];
                let up = match rest.as_bytes()[0] {
                    b'6'..=b'9' => true,
                    b'5' if rest.len() > 1 => true,
                    b'5' => (digits.as_bytes()[p - 1] - b'0') % 2 == 1,
                    _ => false,
                };
                return if up { ceil } else { floor };
            }
            (true, false) => return floor,
            (false, true) => return ceil,
            (false, false) => {}
        }
    }
    value
}

/// `x` (finite) as serde_json writes it: shortest digits, `.0` on integers, exponent form outside
/// 1e-5..1e16 (`1e+16`, `1.5e-7`).
pub fn to_json(x: f64) -> String {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, point) = shortest_digits(x.abs());
    let len = digits.len() as i32;
    let text = if (len..=16).contains(&point) {
        format!("{digits}{}.0", "0".repeat((point - len) as usize))
    } else if (1..=16).contains(&point) {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    } else if (-4..=0).contains(&point) {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let exponent = point - 1;
        let plus = if exponent >= 0 { "+" } else { "" };
        if len == 1 {
            format!("{digits}e{plus}{exponent}")
        } else {
            format!("{}.{}e{plus}{exponent}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::to_json;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    #[test]
    fn writes_what_zmij_writes() {
        let special = [
            0.0,
            -0.0,
            1.0,
            0.1,
            0.25,
            0.35,
            100.0,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            1e-4,
            1e-5,
            1e-6,
            1e-7,
            123456.789,
            5e-324,
            2.2250738585072014e-308,
            2.225073858507201e-308,
            1.7976931348623157e308,
            9007199254740993.0,
            1152921504606846976.0,
            0.3,
            2.0f64.powi(-1074),
            2.0f64.powi(60),
            1.0 / 3.0,
        ];
        for x in special {
            assert_eq!(to_json(x), zmij::Buffer::new().format_finite(x), "{x:e}");
        }
        let mut rng = Pcg64::seed_from_u64(0xf10a7);
        for i in 0..200_000 {
            let x = match i % 4 {
                0 => f64::from_bits(rng.gen::<u64>() & !(0x7ffu64 << 52) | (rng.gen_range(0..0x7ffu64) << 52)),
                1 => rng.gen_range(0.0..1.0),
                2 => f64::from(rng.gen_range(0..100_000u32)) / 2.0f64.powi(rng.gen_range(0..12)),
                _ => rng.gen_range(-1e6..1e6),
            };
            assert_eq!(to_json(x), zmij::Buffer::new().format_finite(x), "{x:e} bits {:x}", x.to_bits());
        }
    }
}
