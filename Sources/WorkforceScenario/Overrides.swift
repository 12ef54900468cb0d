import Yams

/// One `--set key.path=value` override: the value, parsed as YAML, replaces the node at the path
/// (creating missing mapping keys) before the scenario is validated.
struct Override {
    /// One step of a path: a mapping key or a list index.
    enum Step {
        case key(String)
        case index(Int)
    }

    static let expected = "key.path=value, e.g. simulation.replications=100 or leaving.rates.Constable[2]=0.04"

    /// The override as given.
    let text: String
    let steps: [Step]
    let path: FieldPath
    let value: Node

    /// Where problems in the override are located: `<--set key.path=value>`.
    var label: String { Self.label(text) }

    static func label(_ text: String) -> String { "<--set \(text)>" }

    /// Parses `key.path=value`, the path written as in diagnostics (`a.b[2].c`).
    static func parse(_ text: String) throws(Problem) -> Override {
        guard let equals = text.firstIndex(of: "=") else {
            throw Problem(message: "no '='; expected \(expected)")
        }
        let steps = try parsePath(text[..<equals])
        let valueText = String(text[text.index(after: equals)...])
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("")
        } catch {
            throw Problem(message: "invalid YAML in the value: \(ScenarioLoader.yamlProblem(error).problem); "
                          + "expected a YAML value such as 0.3, [0.1, 0.2] or {uniform: [1, 2]}")
        }
        let path = steps.reduce(FieldPath.root) { path, step in
            switch step {
            case .key(let key): path.key(key)
            case .index(let index): path.index(index)
            }
        }
        return Override(text: text, steps: steps, path: path, value: value)
    }

    /// Splits `a.b[2].c` into keys and indices.
    private static func parsePath(_ text: Substring) throws(Problem) -> [Step] {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let key = part.prefix { $0 != "[" }
            guard !key.isEmpty else { throw Problem(message: "malformed path '\(text)'; expected \(expected)") }
            steps.append(.key(String(key)))
            var rest = part.dropFirst(key.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      // checked: from text: nil when not a whole number that fits
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { throw Problem(message: "malformed path '\(text)'; expected \(expected)") }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return steps
    }

    /// A path as the subject of a sentence: `leaving.bands`, or `the scenario` for the root.
    private static func subject(_ path: FieldPath) -> String {
        path.description.isEmpty ? "the scenario" : path.description
    }

    /// `root` with the value set at the path.
    func applied(to root: Node) throws(Problem) -> Node {
        try setting(in: root, steps[...], at: .root)
    }

    /// `node` with the value set at `steps` below it; `path` is where `node` is.
    private func setting(in node: Node?, _ steps: ArraySlice<Step>, at path: FieldPath) throws(Problem) -> Node {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch (step, node) {
        case (.key(let key), .mapping(var mapping)?):
            if let index = mapping.firstIndex(where: { ScenarioReader.scalarText($0.key) == key }) {
                mapping[index].value = try setting(in: mapping[index].value, rest, at: path.key(key))
            } else {
                mapping[Node(key)] = try setting(in: nil, rest, at: path.key(key))
            }
            return .mapping(mapping)
        case (.key(let key), nil):
            return Node([(Node(key), try setting(in: nil, rest, at: path.key(key)))])
        case (.key(let key), let node?) where ScenarioReader.isNull(node):
            return Node([(Node(key), try setting(in: nil, rest, at: path.key(key)))])
        case (.index(let index), .sequence(var sequence)?) where index < sequence.count:
            sequence[index] = try setting(in: sequence[index], rest, at: path.index(index))
            return .sequence(sequence)
        case (.index(let index), .sequence(let sequence)?):
            throw Problem(message: "\(Self.subject(path)) has \(sequence.count) entries, so there is no [\(index)]; "
                          + "expected an index below \(sequence.count)")
        case (.index, nil):
            throw Problem(message: "\(Self.subject(path)) does not exist, so it has no entries; expected a path through existing lists")
        case (.index, let node?):
            throw Problem(message: "\(Self.subject(path)) is \(ScenarioReader.describe(node)), not a list; expected a path through lists and mappings")
        case (.key, let node?):
            throw Problem(message: "\(Self.subject(path)) is \(ScenarioReader.describe(node)), not a mapping; expected a path through lists and mappings")
        }
    }
}
