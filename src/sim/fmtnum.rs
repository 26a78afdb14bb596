//! `f64` to text without `core::fmt`'s float formatter (≈ 13 KB of the web bundle): the same text as
//! `format!("{x:.N}")` ([`fixed`]) and `format!("{x}")` ([`shortest`]). Tests compare them with `format!`.

/// `format!("{x:.prec$}")`: the exact binary value rounded half to even; `prec` at most 3.
pub fn fixed(x: f64, prec: u32) -> String {
    debug_assert!(prec <= 3);
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 { (frac, -1074) } else { (frac | (1u64 << 52), biased - 1075) };
    let scale = 10u64.pow(prec);
    let digits = if e >= 0 {
        // An integer: m · 2^e in decimal, then `prec` zeros.
        let mut dec = m.to_string().into_bytes();
        for _ in 0..e {
            let mut carry = 0;
            for d in dec.iter_mut().rev() {
                let v = (*d - b'0') * 2 + carry;
                *d = b'0' + v % 10;
                carry = v / 10;
            }
            if carry > 0 {
                dec.insert(0, b'0' + carry);
            }
        }
        dec.extend(std::iter::repeat_n(b'0', prec as usize));
        dec
    } else {
        // m · scale / 2^k rounded half to even; m · scale < 2^63, so for k ≥ 64 it rounds to 0.
        let k = (-e) as u32;
        let n = m * scale;
        let q = if k >= 64 {
            0
        } else {
            let (q, r, half) = (n >> k, n & ((1u64 << k) - 1), 1u64 << (k - 1));
            q + u64::from(r > half || (r == half && q % 2 == 1))
        };
        format!("{q:0width$}", width = prec as usize + 1).into_bytes()
    };
    let text = String::from_utf8(digits).unwrap_or_default();
    let (int, frac) = text.split_at(text.len() - prec as usize);
    if prec == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `format!("{x}")`: the shortest digits that read back as `x`, never in exponent notation. The digits come
/// from the JSON writer's digit search (`json_float`, already in the bundle for share links), laid out as
/// `Display` does.
pub fn shortest(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let (mut digits, point) = crate::sim::json_float::shortest_digits(x.abs());
    let mut point = i64::from(point);
    // Exactly halfway between two shortest candidates, `Display` takes the upper one.
    let d = digits.parse::<u64>().unwrap_or(0);
    if !digits.is_empty() && digits.len() < 18 && equals(x.abs(), d * 10 + 5, point - digits.len() as i64 - 1) {
        let mut up = (d + 1).to_string();
        point += up.len() as i64 - digits.len() as i64;
        up.truncate(up.trim_end_matches('0').len());
        digits = up;
    }
    format!("{sign}{}", layout(&digits, point))
}

/// Whether `x` (finite, ≥ 0) is exactly `d · 10^q`.
fn equals(x: f64, d: u64, q: i64) -> bool {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 { (frac, -1074) } else { (frac | (1u64 << 52), biased - 1075) };
    if m == 0 || d == 0 {
        return false;
    }
    let odd = |v: u128| (v >> v.trailing_zeros(), i64::from(v.trailing_zeros()));
    if q >= 0 {
        // m · 2^e == d · 5^q · 2^q
        if q > 27 {
            return false;
        }
        let (om, tm) = odd(u128::from(m));
        let (ol, tl) = odd(u128::from(d) * 5u128.pow(q as u32));
        om == ol && tm + e == tl + q
    } else {
        // m · 5^s · 2^(e+s) == d
        let s = -q;
        if s > 27 {
            return false;
        }
        let (ol, tl) = odd(u128::from(m) * 5u128.pow(s as u32));
        let (od, td) = odd(u128::from(d));
        ol == od && tl + e + s == td
    }
}

/// `1.5e-7`, `1e21`, `1e+21`, `12.0`, `0.25` → `0.00000015`, `1000000000000000000000`, …, `12`, `0.25`.
#[cfg(test)]
fn plain(text: &str) -> String {
    let (digits, point) = split(text);
    layout(&digits, point)
}

/// Significant digits (no leading or trailing zeros) and where the decimal point goes among them.
#[cfg(test)]
fn split(text: &str) -> (String, i64) {
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = format!("{int}{frac}");
    let point = int.len() as i64 + exp;
    let digits = all.trim_start_matches('0');
    let point = point - (all.len() - digits.len()) as i64;
    (digits.trim_end_matches('0').to_string(), point)
}

fn layout(digits: &str, point: i64) -> String {
    if digits.is_empty() {
        return "0".into();
    }
    let len = digits.len() as i64;
    if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= len {
        format!("{digits}{}", "0".repeat((point - len) as usize))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.35,
            0.05,
            0.15,
            0.95,
            0.01,
            -0.01,
            -0.04,
            1.0,
            99.5,
            100.0,
            1e21,
            1e22,
            1.5e-7,
            1e-7,
            123456789.0,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            0.1 + 0.2,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e16,
            1e15,
            1e-5,
            1e-6,
            33.333333,
            2.0f64.powi(70),
        ];
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..200_000u64 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = match i % 5 {
                0 => f64::from_bits(s),
                1 => (s % 2_000_000) as f64 / 1000.0 - 1000.0,
                2 => (s % 100_000) as f64 / 20.0,
                3 => (s >> 11) as f64 / (1u64 << 53) as f64,
                _ => (s >> 14) as f64 + (s % 8) as f64 / 8.0,
            };
            v.push(x);
        }
        v
    }

    #[test]
    fn fixed_matches_format() {
        for x in samples() {
            assert_eq!(fixed(x, 0), format!("{x:.0}"), "{x:e}");
            assert_eq!(fixed(x, 1), format!("{x:.1}"), "{x:e}");
            assert_eq!(fixed(x, 2), format!("{x:.2}"), "{x:e}");
        }
    }

    #[test]
    fn shortest_matches_format() {
        for x in samples() {
            assert_eq!(shortest(x), format!("{x}"), "{x:e}");
        }
        assert_eq!(plain("1e+21"), "1000000000000000000000");
        assert_eq!(plain("1.5e-7"), "0.00000015");
    }
}
