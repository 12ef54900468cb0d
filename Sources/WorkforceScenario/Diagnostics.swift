/// One problem found in a scenario, located as precisely as its source allows.
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

/// Every problem found in a scenario: a scenario with any problem yields no model.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    /// In file order: the scenario file by line and column, then files it names (such as an
    /// initial CSV), then `--set` overrides in the order given.
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic a line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension ScenarioError {
    /// The diagnostics in reading order: those in `file` first, then those in other files
    /// (in order of first appearance), then those in the overrides labelled `overrides`, in that
    /// order; within a file by line and column.
    init(sorting diagnostics: [Diagnostic], mainFile file: String, overrides: [String]) {
        var fileOrder: [String: Int] = [file: 0]
        for (i, label) in overrides.enumerated() where fileOrder[label] == nil {
            fileOrder[label] = diagnostics.count + 1 + i
        }
        for diagnostic in diagnostics where fileOrder[diagnostic.file] == nil {
            fileOrder[diagnostic.file] = fileOrder.count
        }
        let sorted = diagnostics.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let keyX = (fileOrder[x.file] ?? 0, x.line, x.column, a.offset)
            let keyY = (fileOrder[y.file] ?? 0, y.line, y.column, b.offset)
            return keyX < keyY
        }
        self.init(diagnostics: sorted.map(\.element))
    }
}
