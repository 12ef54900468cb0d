import Foundation
import Workforce
import Yams

/// Where a value sits in a scenario's tree: mapping keys and list indices from the root, written
/// as diagnostics and `--set` write it (`recruitment[0].ethnicity[1].shares.BAME.share.value`).
/// Parsed once (`init?(_:)`) and compared by its steps; the empty path is the whole scenario.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, Codable {
    /// One step down the tree: a mapping key or a list index (from 0).
    public enum Step: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root, in order.
    public let steps: [Step]
    /// The path as written: keys joined by `.`, indices in brackets; empty for the root.
    public let description: String

    /// The whole scenario.
    public static let root = FieldPath(steps: [], description: "")

    private init(steps: [Step], description: String) {
        self.steps = steps
        self.description = description
    }

    /// Parses `a.b[2].c`: keys separated by dots, each followed by any number of `[index]`;
    /// nil when malformed (an empty key, a bracket not closed, an index that is not a whole
    /// number from 0). The empty string is not a path (use `root`).
    public init?(_ text: some StringProtocol) {
        var path = FieldPath.root
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let key = part.prefix { $0 != "[" }
            guard !key.isEmpty else { return nil }
            path = path.key(String(key))
            var rest = part.dropFirst(key.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      // checked: from text: nil when not a whole number that fits
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { return nil }
                path = path.index(index)
                rest = rest[rest.index(after: close)...]
            }
        }
        self = path
    }

    /// The path of a mapping key below this one.
    public func key(_ name: String) -> FieldPath {
        FieldPath(steps: steps + [.key(name)], description: description.isEmpty ? name : "\(description).\(name)")
    }

    /// The path of a list item below this one.
    public func index(_ index: Int) -> FieldPath {
        FieldPath(steps: steps + [.index(index)], description: "\(description)[\(index)]")
    }

    /// The path one step up, or nil for the root.
    public var parent: FieldPath? {
        guard !steps.isEmpty else { return nil }
        let cut = description.lastIndex { $0 == "." || $0 == "[" } ?? description.startIndex
        return FieldPath(steps: Array(steps.dropLast()), description: String(description[..<cut]))
    }

    /// Whether this path is `ancestor` itself or lies below it.
    public func isWithin(_ ancestor: FieldPath) -> Bool {
        steps.count >= ancestor.steps.count && Array(steps.prefix(ancestor.steps.count)) == ancestor.steps
    }

    public static func == (a: FieldPath, b: FieldPath) -> Bool { a.steps == b.steps }
    public func hash(into hasher: inout Hasher) { hasher.combine(steps) }

    /// Encoded as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let path = FieldPath(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "malformed field path '\(text)'")
        }
        self = path
    }
}

/// Reads a scenario's node tree into model values, collecting every problem it finds.
///
/// Each `read…` method reports what is wrong and returns `nil` (or leaves the faulty item out),
/// so every missing value has a diagnostic behind it and a model is built only when
/// `diagnostics` is empty. Numbers that may be uncertain are appended to `parameters` as they
/// are read.
struct ScenarioReader {
    /// The scenario file, as its path was given.
    let file: String
    /// The folder relative paths in the scenario (such as an initial CSV) are resolved against.
    let directory: String
    /// The `--set` overrides applied to the tree: problems in what they set are located at them.
    let overrides: [Override]
    var diagnostics: [Diagnostic] = []
    var parameters: [ParameterSpec] = []
    /// Each rank's index by name (the first, if a name is repeated), for lookups in constant time.
    var rankIndex: [String: Int] = [:]

    init(file: String, directory: String, overrides: [Override]) {
        self.file = file
        self.directory = directory
        self.overrides = overrides
    }

    /// Records a problem at `path`, located at `node`. A problem in a value an override set is
    /// located at that override; so is one at a node without a position, which an override made
    /// on its way to the path it sets (the nearest such override up the path).
    mutating func report(_ message: String, at node: Node?, _ path: FieldPath) {
        var diagnostic = Diagnostic(file: file, path: path.description, message: message)
        if let override = overrides.last(where: { path.isWithin($0.input) }) {
            diagnostic.file = override.label
        } else if let mark = node?.mark {
            diagnostic.line = mark.line
            diagnostic.column = mark.column
        } else {
            var ancestor: FieldPath? = path
            while let current = ancestor {
                if let override = overrides.last(where: { $0.path.isWithin(current) }) {
                    diagnostic.file = override.label
                    break
                }
                ancestor = current.parent
            }
        }
        diagnostics.append(diagnostic)
    }
}

/// A YAML mapping checked against a fixed set of keys. A key whose value is null counts as absent.
struct Record {
    let node: Node
    let path: FieldPath
    private let fields: [String: (key: Node, value: Node)]

    init(node: Node, path: FieldPath, fields: [String: (key: Node, value: Node)]) {
        self.node = node
        self.path = path
        self.fields = fields
    }

    subscript(key: String) -> Node? { fields[key]?.value }

    /// The key node itself, to point at a key that is not allowed in its context.
    func keyNode(_ key: String) -> Node? { fields[key]?.key }

    func path(_ key: String) -> FieldPath { path.key(key) }

    /// Which of `keys` are present, in the order given.
    func present(_ keys: [String]) -> [String] { keys.filter { fields[$0] != nil } }
}

/// One entry of a mapping whose keys are names the scenario chooses (ranks, categories, bands).
struct Entry {
    let name: String
    let key: Node
    let value: Node
    let path: FieldPath
}

/// One name in a name-or-list-of-names field.
struct Name {
    let name: String
    let node: Node
    let path: FieldPath
}

// MARK: - Structure

extension ScenarioReader {
    /// Reads a mapping whose allowed keys are `keys`, reporting any other key.
    mutating func record(_ node: Node, _ path: FieldPath, expected: String, keys: [String]) -> Record? {
        guard case .mapping(let mapping) = node else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, path)
            return nil
        }
        var fields: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = Self.scalarText(key) else {
                report("found \(Self.describe(key)) as a key; expected one of: \(keys.joined(separator: ", "))", at: key, path)
                continue
            }
            guard keys.contains(name) else {
                report("unknown key '\(name)'\(Self.didYouMean(name, keys)); expected one of: \(keys.joined(separator: ", "))", at: key, path.key(name))
                continue
            }
            if !Self.isNull(value) { fields[name] = (key, value) }
        }
        return Record(node: node, path: path, fields: fields)
    }

    /// The value of a required key, or a "missing" report located at the mapping.
    mutating func required(_ record: Record, _ key: String, expected: String) -> Node? {
        if let value = record[key] { return value }
        report("missing; expected \(expected)", at: record.node, record.path(key))
        return nil
    }

    /// Reads a mapping from names to values.
    mutating func entries(_ node: Node, _ path: FieldPath, expected: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, path)
            return nil
        }
        var result: [Entry] = []
        for (key, value) in mapping {
            guard let name = Self.scalarText(key) else {
                report("found \(Self.describe(key)) as a key; expected a name", at: key, path)
                continue
            }
            result.append(Entry(name: name, key: key, value: value, path: path.key(name)))
        }
        return result
    }

    /// Reads a list.
    mutating func list(_ node: Node, _ path: FieldPath, expected: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, path)
            return nil
        }
        return Array(sequence)
    }

    /// Reads a single name or a non-empty list of names.
    mutating func names(_ node: Node, _ path: FieldPath, expected: String) -> [Name]? {
        if case .sequence(let sequence) = node {
            guard !sequence.isEmpty else {
                report("found an empty list; expected \(expected)", at: node, path)
                return nil
            }
            var result: [Name] = []
            for (i, item) in sequence.enumerated() {
                if let name = text(item, path.index(i), expected: "a name") {
                    result.append(Name(name: name, node: item, path: path.index(i)))
                }
            }
            return result.count == sequence.count ? result : nil
        }
        guard let name = text(node, path, expected: expected) else { return nil }
        return [Name(name: name, node: node, path: path)]
    }

    // MARK: - Scalars

    /// Reads a non-empty scalar as text (a name, a date, a keyword).
    mutating func text(_ node: Node, _ path: FieldPath, expected: String) -> String? {
        guard let text = Self.scalarText(node), !text.isEmpty else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, path)
            return nil
        }
        return text
    }

    /// Reads a plain (unquoted) decimal number.
    mutating func number(_ node: Node, _ path: FieldPath, expected: String) -> Double? {
        guard let value = Self.plainNumber(node) else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, path)
            return nil
        }
        return value
    }

    /// Reads a whole number from `minimum` to `maximum` (without one, at most 10^15, well within
    /// the whole numbers a double holds exactly, 2^53).
    mutating func integer(_ node: Node, _ path: FieldPath, atLeast minimum: Int, atMost maximum: Int? = nil, expected: String) -> Int? {
        guard let value = number(node, path, expected: expected) else { return nil }
        guard value == value.rounded() else {
            report("\(Self.format(value)) is not a whole number; expected \(expected)", at: node, path)
            return nil
        }
        if let maximum, value > Double(maximum) {
            report("\(Self.format(value)) is above \(maximum); expected \(expected)", at: node, path)
            return nil
        }
        guard abs(value) <= 1e15 else {
            report("\(Self.format(value)) is too large; expected \(expected)", at: node, path)
            return nil
        }
        guard value >= Double(minimum) else {
            let problem = minimum == 0 ? "is negative" : "is below \(minimum)"
            report("\(Self.format(value)) \(problem); expected \(expected)", at: node, path)
            return nil
        }
        return Int(value)  // checked: whole and at most 10^15 in magnitude
    }

    /// Reads a month written `YYYY-MM`.
    mutating func date(_ node: Node, _ path: FieldPath) -> Month? {
        let expected = "a month written YYYY-MM, e.g. 2024-03"
        guard let text = text(node, path, expected: expected) else { return nil }
        guard let month = Month(parsing: text) else {
            report("'\(text)' is not a month; expected \(expected)", at: node, path)
            return nil
        }
        return month
    }

    /// Reads a month no earlier than `earliest` (named `earliestName` in the message).
    mutating func date(_ node: Node, _ path: FieldPath, notBefore earliest: Month?, _ earliestName: String) -> Month? {
        guard let month = date(node, path) else { return nil }
        if let earliest, month < earliest {
            report("\(month) is before \(earliestName) \(earliest); expected \(earliestName) or later", at: node, path)
            return nil
        }
        return month
    }

    // MARK: - Node facts

    /// The text of a scalar that is not null.
    static func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else { return nil }
        return scalar.string
    }

    /// Whether a node is a plain null scalar (`~`, `null` or nothing at all).
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The value of a plain scalar written as a finite decimal number (JSON's or YAML's form).
    static func plainNumber(_ node: Node) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              scalar.string.allSatisfy({ "0123456789.eE+-".contains($0) }),
              let value = Double(scalar.string), value.isFinite
        else { return nil }
        return value
    }

    /// How a node is named in a "found …" message.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            if let value = plainNumber(node) { return "the number \(format(value))" }
            return "'\(scalar.string)'"
        }
    }

    /// A number as messages show it: at most 12 significant digits, whole numbers without `.0`.
    static func format(_ value: Double) -> String {
        // checked: whole and at most 2^53 in magnitude, where a double holds every whole number: shown exactly
        if value == value.rounded(), abs(value) <= 0x1p53 { return String(Int(value)) }
        let rounded = Double(String(format: "%.12g", value)) ?? value
        // checked: whole and below 10^15 in magnitude
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return "\(rounded)"
    }

    /// "unknown rank 'X'; expected one of: A, B, C".
    static func unknown(_ noun: String, _ name: String, _ choices: [String]) -> String {
        "unknown \(noun) '\(name)'\(didYouMean(name, choices)); expected one of: \(choices.joined(separator: ", "))"
    }

    /// ` (did you mean 'Sergeant'?)` when exactly one choice is within a small edit distance of
    /// `name` (ignoring case; a swap of neighbours is one edit): 1 edit for names under 10
    /// characters, 2 from 10, so that 'Majority' never suggests 'Minority'. Empty otherwise, and
    /// for more than 1,000 choices (cost O(choices × length²)).
    static func didYouMean(_ name: String, _ choices: [String]) -> String {
        guard choices.count <= 1000, !name.isEmpty else { return "" }
        let a = Array(name.lowercased())
        let limit = a.count < 10 ? 1 : 2
        var best: (choice: String, distance: Int)?
        var tied = false
        for choice in choices where choice != name {
            let b = Array(choice.lowercased())
            guard abs(a.count - b.count) <= limit else { continue }
            // Levenshtein distance with adjacent transpositions (optimal string alignment).
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            if !a.isEmpty && !b.isEmpty {
                for i in 1...a.count {
                    for j in 1...b.count {
                        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                    }
                }
            }
            let distance = d[a.count][b.count]
            guard distance <= limit else { continue }
            if let current = best, current.distance <= distance {
                if current.distance == distance { tied = true }
                continue
            }
            best = (choice, distance)
            tied = false
        }
        guard let best, !tied else { return "" }
        return " (did you mean '\(best.choice)'?)"
    }
}
