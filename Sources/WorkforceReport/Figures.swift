/// A number read from a result file: its text there, and its value for drawing.
///
/// Pages show the text, never a re-rounded value, so every number on a page is exactly the one
/// in the CSV or JSON file it came from (see `Figure.plain` and `Figure.percent`).
public struct Figure: Sendable, Hashable {
    /// The field as written in the file, e.g. `0.162345`, `24911.000` or `NA`.
    public var text: String
    /// Its value; NaN for `NA` or anything that is not a number.
    public var value: Double

    public init(_ text: String) {
        self.text = text
        value = Double(text) ?? .nan
    }

    /// The file's text without trailing zeros after the decimal point: `24911.000` → `24911`,
    /// `0.210000` → `0.21`. The value is unchanged; `NA` stays `NA`.
    public var plain: String {
        guard let parts = Self.decimal(text) else { return text }
        return parts.sign + parts.integer + (parts.fraction.isEmpty ? "" : "." + parts.fraction)
    }

    /// A share or probability as a percentage, by moving the file's decimal point two places:
    /// `0.162345` → `16.2345%`, `0.9730` → `97.3%`, `1.0000` → `100%`. No digit is rounded away.
    public var percent: String { shifted(suffix: "%") }

    /// A difference of shares in percentage points, signed: `-0.0123` → `−1.23 pp`, `0.004` → `+0.4 pp`.
    public var points: String {
        let shiftedText = shifted(suffix: "")
        guard value.isFinite else { return shiftedText }
        if shiftedText.hasPrefix("-") { return "−" + shiftedText.dropFirst() + " pp" }
        return (value == 0 ? "" : "+") + shiftedText + " pp"
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
public enum Likelihood: String, Sendable, CaseIterable {
    case veryUnlikely = "very unlikely"
    case unlikely = "unlikely"
    case aboutEven = "about even"
    case likely = "likely"
    case veryLikely = "very likely"

    /// "very unlikely" below 10%, "unlikely" below 33%, "likely" above 67%, "very likely" above
    /// 90%, "about even" from 33% to 67%. Nil for an undefined probability.
    public init?(_ probability: Double) {
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
