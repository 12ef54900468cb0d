import Foundation

/// A number read from a result file: its text there, and its value for drawing and display.
///
/// The CSV and JSON files keep full precision; a page shows a number at the precision a
/// Monte Carlo estimate supports: measured shares and probabilities to one decimal of a percent
/// (`percent`), counts whole (`count`), differences to one decimal of a point (`points`). Inputs
/// that the user typed (a target's threshold, a swept value) are shown exactly as given
/// (`exactPercent`, `plain`), so "at least 21%" never reads "21.0%".
package struct Figure: Sendable, Hashable {
    /// The field as written in the file, e.g. `0.162345`, `24911.000` or `NA`.
    package var text: String
    /// Its value; NaN for `NA` or anything that is not a number.
    package var value: Double

    package init(_ text: String) {
        self.text = text
        value = Double(text) ?? .nan
    }

    /// A typed result value: its text the shortest decimal that reads back to it (`0.21`, so an
    /// input shows exactly as given), `NA` when nil or NaN.
    package init(_ value: Double?) {
        if let value, !value.isNaN { self.init("\(value)") } else { self.init("NA") }
    }

    /// A computed input value (a sensitivity's low and high, a sweep's point) to `significant`
    /// significant digits, so that `0.36000000000000004` (0.4 × 0.9) reads `0.36`; `NA` when nil or NaN.
    package init(_ value: Double?, significant: Int) {
        if let value, !value.isNaN { self.init(String(format: "%.\(significant)g", value)) } else { self.init("NA") }
    }

    /// A computed estimate with a Monte Carlo (or bisection) error, to the decimals the error
    /// supports: the fewest (0 to 6) whose step, 10^−d, is at least `error` (the same rule as
    /// `decimals(standardError:)`): `5.984 ± 0.21` → `6`, `0.459375 ± 0.0023` → `0.459`. With no
    /// error (NaN or not positive), three significant digits.
    package init(_ value: Double, error: Double) {
        guard value.isFinite else {
            self.init("NA")
            return
        }
        guard error.isFinite, error > 0 else {
            self.init(value, significant: 3)
            return
        }
        var places = 0
        while places < 6 && pow(10, -Double(places + 1)) >= error { places += 1 }
        self.init(String(format: "%.\(places)f", value))
    }

    /// The file's text without trailing zeros after the decimal point: `24911.000` → `24911`,
    /// `0.210000` → `0.21`. For inputs shown as given. `NA` stays `NA`.
    package var plain: String {
        guard let parts = Self.decimal(text) else { return text }
        return parts.sign + parts.integer + (parts.fraction.isEmpty ? "" : "." + parts.fraction)
    }

    /// A measured share or probability as a percentage to `decimals` places (one by default):
    /// `0.162345` → `16.2%`, `1.0` → `100.0%`. A value strictly between 0 and 1 that would round
    /// to an end says so: `0.9996` → `>99.9%`, `0.0004` → `<0.1%`, so a chance that is not certain
    /// never prints as certain. `NA` stays `NA`.
    package func percent(decimals: Int = 1) -> String {
        guard value.isFinite else { return text }
        let step = Self.step(decimals)
        let scaled = value * 100
        let text = Self.fixed(scaled, decimals)
        // Strictly between 0 and 1 but printing as an end (`%.0f` rounds 0.5 to 0): say so.
        if value > 0 && value < 1 && Double(text) == 0 { return "<" + Self.fixed(step, decimals) + "%" }
        if value > 0 && value < 1 && Double(text) == 100 { return ">" + Self.fixed(100 - step, decimals) + "%" }
        return text + "%"
    }

    /// `percent(decimals: 1)`.
    package var percent: String { percent() }

    /// An input share as a percentage, exactly as given, by moving the decimal point two places:
    /// `0.21` → `21%`, `0.085` → `8.5%`. No digit is rounded away.
    package var exactPercent: String { shifted(suffix: "%") }

    /// A count (headcount, joiners) rounded to a whole number, with thousands separated:
    /// `24911.437` → `24,911`. `NA` stays `NA`.
    package var count: String { count(upTo: 0) }

    /// A count rounded to `decimals` places, the fraction left out when it rounds to zero, with
    /// thousands separated: `count(upTo: 1)` gives `12,345` and `3.5`. The one count formatter
    /// of the report and the terminal. `NA` stays `NA`.
    package func count(upTo decimals: Int) -> String {
        guard value.isFinite else { return text }
        let places = max(0, min(decimals, 6))
        let scale = pow(10, Double(places))
        let units = (abs(value) * scale).rounded()
        guard units < 1e15 else { return String(format: "%.0f", value) }
        let whole = Int64(units / scale), fraction = Int64(units) - whole * Int64(scale)  // checked: units < 1e15 fits Int64
        let digits = String(whole)
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
            grouped.append(c)
        }
        if fraction > 0 {
            let text = String(fraction)
            grouped += "." + String(repeating: "0", count: places - text.count) + text
            while grouped.hasSuffix("0") { grouped.removeLast() }
        }
        return (value < 0 && units > 0 ? "−" : "") + grouped
    }

    /// A difference of shares in percentage points, signed, to `decimals` places: `-0.0123` →
    /// `−1.2 pt`, `0.004` → `+0.4 pt`; a change too small to print, `±0.0004` → `<0.1 pt` (its
    /// direction is the bar's, where a chart shows one).
    package func points(decimals: Int = 1) -> String {
        guard value.isFinite else { return text }
        let step = Self.step(decimals)
        let scaled = value * 100
        if scaled != 0 && abs(scaled) < step / 2 { return "<" + Self.fixed(step, decimals) + " pt" }
        let body = Self.fixed(abs(scaled), decimals)
        if Double(body) == 0 { return "0 pt" }
        return (scaled < 0 ? "−" : "+") + body + " pt"
    }

    /// `points(decimals: 1)`.
    package var points: String { points() }

    /// A median and its 90% interval as a reader sees them: `14.2% (12.3%–16.1%)`; when the
    /// interval is narrower than the printed step, `14.2% (±<0.1 pt)` instead of three equal
    /// numbers.
    package static func interval(median: Figure, low: Figure, high: Figure, decimals: Int = 1) -> String {
        guard median.value.isFinite, low.value.isFinite, high.value.isFinite else {
            return "\(median.percent(decimals: decimals)) (\(low.percent(decimals: decimals))–\(high.percent(decimals: decimals)))"
        }
        if (high.value - low.value) * 100 < step(decimals) {
            return "\(median.percent(decimals: decimals)) (±<\(fixed(step(decimals), decimals)) pt)"
        }
        return "\(median.percent(decimals: decimals)) (\(low.percent(decimals: decimals))–\(high.percent(decimals: decimals)))"
    }

    /// A 90% interval in words from its two ends as printed: `90% interval 12.0% to 16.0%`; when both
    /// ends print alike (the interval is narrower than the printed step), `90% interval within the
    /// printed step of 30.0%` instead of the same number twice more.
    package static func intervalWords(low: String, high: String) -> String {
        low == high ? "90% interval within the printed step of \(low)" : "90% interval \(low) to \(high)"
    }

    /// The decimals of a percentage that a Monte Carlo estimate supports: the fewest (0 or 1)
    /// whose printed step, 10^−d percentage points, is at least the estimate's standard error
    /// (`standardError`, a fraction). So a chance from 1,000 replications (error about 1.5 pt)
    /// prints `68%`, and a share whose error is 0.05 pt prints `16.2%`. The one rule for digits
    /// on a page: no printed digit is smaller than the estimate's error. NaN or zero error: 1.
    package static func decimals(standardError: Double) -> Int {
        guard standardError.isFinite, standardError > 0 else { return 1 }
        // The step of one decimal, 0.1 pt, is at least the error: one decimal; else none.
        return standardError * 100 <= 0.1 ? 1 : 0
    }

    /// The Monte Carlo standard error of a median over `replications`, from its 90% interval:
    /// 1.2533 σ/√n (the median of a normal sample), σ ≈ (p95 − p5)/3.29. NaN when undefined.
    package static func medianError(low: Figure, high: Figure, replications: Int) -> Double {
        guard replications > 0 else { return .nan }
        return 1.2533 * (high.value - low.value) / 3.29 / Double(replications).squareRoot()
    }

    /// 10^−decimals: the smallest printed step.
    private static func step(_ decimals: Int) -> Double { pow(10, -Double(max(0, min(decimals, 9)))) }

    private static func fixed(_ x: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(max(0, min(decimals, 9)))f", x)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    private func shifted(suffix: String) -> String {
        guard let parts = Self.decimal(text) else {
            // Not a plain decimal (e.g. `NA`, or `1e-05` from another writer): say what the file says.
            return value.isFinite ? "\(value * 100)" + suffix : text
        }
        var digits = parts.integer + parts.fraction
        let point = parts.integer.count + 2
        while digits.count < point { digits += "0" }
        var integer = String(digits.prefix(point))
        var fraction = String(digits.dropFirst(point))
        while integer.count > 1 && integer.hasPrefix("0") { integer.removeFirst() }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = (integer == "0" && fraction.isEmpty) ? "" : parts.sign
        return sign + integer + (fraction.isEmpty ? "" : "." + fraction) + suffix
    }

    /// Splits `-12.3400` into ("-", "12", "34"): sign, integer digits, fraction digits without
    /// trailing zeros. Nil unless the text is a plain decimal.
    private static func decimal(_ text: String) -> (sign: String, integer: String, fraction: String)? {
        var body = Substring(text)
        var sign = ""
        if body.first == "-" {
            sign = "-"
            body = body.dropFirst()
        }
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty,
              pieces.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        var fraction = pieces.count == 2 ? String(pieces[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if pieces[0].allSatisfy({ $0 == "0" }) && fraction.isEmpty { sign = "" }
        return (sign, String(pieces[0]), fraction)
    }
}

/// The plain-words reading of a probability, as a board paper puts it.
package enum Likelihood: String, Sendable, CaseIterable {
    case veryUnlikely = "very unlikely"
    case unlikely = "unlikely"
    case aboutEven = "about even"
    case likely = "likely"
    case veryLikely = "very likely"

    /// "very unlikely" below 10%, "unlikely" below 33%, "likely" above 67%, "very likely" above
    /// 90%, "about even" from 33% to 67%. Nil for an undefined probability.
    package init?(_ probability: Double) {
        guard probability.isFinite else { return nil }
        switch probability {
        case ..<0.10: self = .veryUnlikely
        case ..<0.33: self = .unlikely
        case ...0.67: self = .aboutEven
        case ...0.90: self = .likely
        default: self = .veryLikely
        }
    }
}
