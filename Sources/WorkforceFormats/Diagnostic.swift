import Foundation

/// One problem found in an input (a scenario, a `--set` override, a data table, a results file),
/// located as precisely as its source allows.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in, as the path was given; for a problem in a `--set` override,
    /// `<--set path=value>`.
    public var file: String
    /// 1-based line, 0 if unknown.
    public var line: Int
    /// 1-based column (in Unicode scalars), 0 if unknown.
    public var column: Int
    /// The field path, e.g. `leaving.rates.Constable[2]`; empty for the whole file.
    public var path: String
    /// What was wrong, then what was expected: `1.3 is outside 0...1; expected …`.
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, path: String = "", message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:column: path: message`, leaving out the parts that are unknown or empty; on one
    /// line, with control characters (echoed from the input) written as `U+0007`.
    public var description: String {
        var location = file
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        let text = path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            guard scalar.properties.generalCategory == .control else { return [scalar] }
            return Array(String(format: "U+%04X", scalar.value).unicodeScalars)
        }))
    }
}
