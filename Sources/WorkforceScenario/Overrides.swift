import Yams

/// One `--set key.path=value` override: the value, parsed as YAML, replaces the node at the path
/// (creating missing mapping keys) before the scenario is validated.
struct Override {
    static let expected = "key.path=value, e.g. simulation.replications=100 or leaving.rates.Constable[2]=0.04"

    /// Where problems in the value it set are reported: `<--set key.path=value>` for a `--set`,
    /// `<--lever name=value>` for a lever setting.
    let label: String
    let path: FieldPath
    let value: Node
    /// The input the value is part of (a lever's or an assignment's number inside a distribution):
    /// problems found anywhere in it are reported at the override. The path itself for `--set`.
    let input: FieldPath

    init(path: FieldPath, value: Node, label: String, input: FieldPath? = nil) {
        self.path = path
        self.value = value
        self.label = label
        self.input = input ?? path
    }

    static func label(_ text: String) -> String { "<--set \(text)>" }

    /// Parses `key.path=value`, the path written as in diagnostics (`a.b[2].c`).
    static func parse(_ text: String) throws(Problem) -> Override {
        guard let equals = text.firstIndex(of: "=") else {
            throw Problem(message: "no '='; expected \(expected)")
        }
        guard let path = FieldPath(text[..<equals]) else {
            throw Problem(message: "malformed path '\(text[..<equals])'; expected \(expected)")
        }
        let valueText = String(text[text.index(after: equals)...])
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText) ?? Node("")
        } catch {
            throw Problem(message: "invalid YAML in the value: \(ScenarioLoader.yamlProblem(error).problem); "
                          + "expected a YAML value such as 0.3, [0.1, 0.2] or {uniform: [1, 2]}")
        }
        return Override(path: path, value: value, label: label(text))
    }

    /// A path as the subject of a sentence: `leaving.bands`, or `the scenario` for the root.
    private static func subject(_ path: FieldPath) -> String {
        path.description.isEmpty ? "the scenario" : path.description
    }

    /// `root` with the value set at the path.
    func applied(to root: Node) throws(Problem) -> Node {
        try setting(in: root, path.steps[...], at: .root)
    }

    /// `node` with the value set at `steps` below it; `path` is where `node` is.
    private func setting(in node: Node?, _ steps: ArraySlice<FieldPath.Step>, at path: FieldPath) throws(Problem) -> Node {
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
