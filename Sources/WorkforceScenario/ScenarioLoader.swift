import WorkforceFormats
import Foundation
import Workforce
import Yams

/// A scenario file read and validated into a model.
public struct LoadedScenario: Sendable {
    public var model: Model
    /// The scenario file's path, as given.
    public var file: String
    /// The file name without its extension: results go to `Results/<stem>`.
    public var stem: String
    /// Lowercase hexadecimal SHA-256 of the scenario file's bytes.
    public var sha256: String
    /// The file's `sweep` section (used by `workforce sweep`), nil when it has none.
    public var sweep: SweepSpec?

    public init(model: Model, file: String, stem: String, sha256: String, sweep: SweepSpec? = nil) {
        self.model = model
        self.file = file
        self.stem = stem
        self.sha256 = sha256
        self.sweep = sweep
    }
}

/// Reads scenario files (YAML, or JSON through the same parser) into validated models; see
/// `docs/scenario-format.md`. Every problem in a file is reported at once, as a `InputError`.
public enum ScenarioLoader {
    /// The extensions of the scenario files a folder is searched for.
    public static let extensions = ["yaml", "yml", "json"]

    /// Reads and validates one file; `overrides` are `key.path=value` strings from `--set`.
    public static func load(path: String, overrides: [String] = []) throws(InputError) -> LoadedScenario {
        try document(path: path).load(overrides: overrides)
    }

    /// Reads and validates scenario text (for tests); `file` names it in diagnostics and gives the
    /// stem, and `directory` resolves relative paths such as an initial CSV.
    public static func parse(
        text: String, file: String, directory: String, overrides: [String] = []
    ) throws(InputError) -> LoadedScenario {
        try read(text: text, bytes: Array(text.utf8), file: file, directory: directory, overrides: overrides)
    }

    /// Reads and parses one file without validating it, for loading it many times with
    /// different overrides (`ScenarioDocument.load(overrides:)`, as a sweep does per point).
    public static func document(path: String) throws(InputError) -> ScenarioDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError([
                Diagnostic(file: path, message: "cannot read the file; expected a scenario file (YAML or JSON)"),
            ])
        }
        let bytes = Array(data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError([
                Diagnostic(file: path, message: "the file is not UTF-8 text; expected a scenario file (YAML or JSON)"),
            ])
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]).isEmpty ? "/" : String(path[..<$0]) } ?? ""
        return ScenarioDocument(text: text, bytes: bytes, file: path, directory: directory)
    }

    /// Parses scenario text without validating it (as `document(path:)` does a file's); `file`
    /// names it in diagnostics and gives the stem, `directory` resolves relative paths.
    public static func document(text: String, file: String, directory: String) -> ScenarioDocument {
        ScenarioDocument(text: text, bytes: Array(text.utf8), file: file, directory: directory)
    }

    /// Expands files and folders to scenario files: a folder gives its `*.yaml`, `*.yml` and
    /// `*.json` files, sorted by name, not recursively. A missing path, or a folder without
    /// scenario files, is a diagnostic.
    public static func scenarioFiles(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                diagnostics.append(Diagnostic(file: path, message: "no such file or folder; expected a scenario file or a folder of them"))
                continue
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { name in
                    var isSubfolder: ObjCBool = false
                    let extensionIndex = name.lastIndex(of: ".").map(name.index(after:))
                    return extensionIndex.map { extensions.contains(name[$0...].lowercased()) } == true
                        && FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isSubfolder)
                        && !isSubfolder.boolValue
                }
                .sorted()
            if names.isEmpty {
                diagnostics.append(Diagnostic(file: path, message: "no scenario files in this folder; expected *.yaml, *.yml or *.json files"))
            }
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            files += names.map { "\(folder)/\($0)" }
        }
        guard diagnostics.isEmpty else { throw InputError(diagnostics) }
        return files
    }

    /// Parses, applies overrides, validates and builds the model.
    private static func read(
        text: String, bytes: [UInt8], file: String, directory: String, overrides: [String]
    ) throws(InputError) -> LoadedScenario {
        try ScenarioDocument(text: text, bytes: bytes, file: file, directory: directory).load(overrides: overrides)
    }

    /// The first tab in a line's indentation, up to line `last` (0: anywhere): YAML forbids tabs
    /// there, and Yams's message for one ("found character that cannot start any token") does
    /// not say so.
    static func indentingTab(in text: String, upTo last: Int) -> (line: Int, column: Int)? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (i, line) in lines.enumerated() where last == 0 || i < last {
            let indentation = line.prefix { $0 == " " || $0 == "\t" || $0 == "-" }
            if let tab = indentation.firstIndex(of: "\t") {
                return (i + 1, line.distance(from: line.startIndex, to: tab) + 1)
            }
        }
        return nil
    }

    /// The field path of the block-style key at `line`:`column` (1-based), found from the keys
    /// and list items that enclose it by indentation; empty when it cannot be told (flow style).
    static func keyPath(in text: String, line: Int, column: Int) -> String {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
        guard line >= 1, line <= lines.count else { return "" }
        func indent(_ s: String) -> Int { s.prefix { $0 == " " }.count }
        func key(_ s: Substring) -> String? {
            guard let colon = s.firstIndex(of: ":") else { return nil }
            let name = s[..<colon].trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.contains("{") || name.contains("[") ? nil
                : name.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        let target = lines[line - 1]
        let targetStart = target.index(target.startIndex, offsetBy: min(column - 1, target.count))
        guard let name = key(target[targetStart...]) else { return "" }
        var components = [name]
        var current = column - 1
        // A key written on its list item's line ("- key: ...") belongs to that item.
        var k = line - 1
        var inItemOf: Int?  // the indentation of the list whose item was just entered
        while k >= 0 {
            let text = lines[k]
            let trimmed = text.drop { $0 == " " }
            let at = indent(text)
            defer { k -= 1 }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || (k == line - 1 && !(trimmed.hasPrefix("- ") && at < current)) { continue }
            if trimmed.hasPrefix("- "), at < current {
                // Count the earlier items of the same list for this item's index.
                var index = 0
                var j = k - 1
                while j >= 0 {
                    let other = lines[j].drop { $0 == " " }
                    if !other.isEmpty && !other.hasPrefix("#") {
                        if indent(lines[j]) < at || (indent(lines[j]) == at && !other.hasPrefix("- ")) { break }
                        if indent(lines[j]) == at { index += 1 }
                    }
                    j -= 1
                }
                components.append("[\(index)]")
                current = at
                inItemOf = at
            } else if at < current || (inItemOf == at && !trimmed.hasPrefix("- ")) {
                guard let parent = key(trimmed) else { return "" }
                components.append(parent)
                current = at
                inItemOf = nil
            }
        }
        var path = ""
        for component in components.reversed() {
            path += component.hasPrefix("[") || path.isEmpty ? component : ".\(component)"
        }
        return path
    }

    /// Whether a parse error is a key repeated in a mapping (located at a key, so with a path).
    static func isDuplicateKey(_ error: any Error) -> Bool {
        if case .duplicatedKeysInMapping? = error as? YamlError { return true }
        return false
    }

    /// A parse error from Yams: its position, what was wrong, and (for a duplicate key, which is
    /// not a syntax error) what was expected instead.
    static func yamlProblem(_ error: any Error) -> (line: Int, column: Int, problem: String, expected: String?) {
        guard let error = error as? YamlError else { return (0, 0, "\(error)", nil) }
        switch error {
        case .reader(let problem, let offset, let value, let yaml):
            // The offset counts bytes of the UTF-8 text; positions count Unicode scalars.
            var line = 1, column = 1
            if let offset {
                for scalar in String(decoding: yaml.utf8.prefix(offset), as: UTF8.self).unicodeScalars {
                    if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            let character = String(format: "U+%04X", UInt32(bitPattern: value))
            return (offset == nil ? 0 : line, offset == nil ? 0 : column, "\(problem) (found \(character))", "text without control characters")
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let during = context.map { " \($0.text)" } ?? ""
            return (mark.line, mark.column, "\(problem)\(during)", nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let problem = duplicates.count == 1 ? "key \(keys) appears" : "keys \(keys) appear"
            return (context.mark.line, context.mark.column, "\(problem) more than once in this mapping", "each key once")
        default:
            return (0, 0, "\(error)", nil)
        }
    }
}

extension ScenarioReader {
    /// The sections of a scenario file.
    private static let sections = [
        "title",
        "name", "description", "dimensions", "simulation", "initial", "leaving", "transfers_out", "establishment", "promotion",
        "recruitment", "interventions", "targets", "labels", "sweep", "levers",
    ]

    /// Reads the scenario's title: words on one line, `Model.titleLength` characters (surrounding
    /// spaces dropped).
    private mutating func readTitle(_ node: Node, _ path: FieldPath) -> String? {
        let expected = "a title in words on one line, \(Model.titleLength.lowerBound) to \(Model.titleLength.upperBound) characters"
        guard let raw = text(node, path, expected: expected) else { return nil }
        let title = raw.trimmingCharacters(in: .whitespaces)
        if title.contains(where: \.isNewline) {
            report("found a title of several lines; expected \(expected)", at: node, path)
            return nil
        }
        guard Model.titleLength.contains(title.count) else {
            report("found a title of \(title.count) characters; expected \(expected)", at: node, path)
            return nil
        }
        return title
    }

    /// Reads a whole scenario; `defaultName` is used when it has no `name`.
    mutating func readModel(_ root: Node, defaultName: String) -> Model? {
        guard let top = record(
            root, .root, expected: "a scenario: a mapping with \(Self.sections.joined(separator: ", "))", keys: Self.sections)
        else { return nil }
        let name = top["name"].flatMap { text($0, top.path("name"), expected: "a name") } ?? defaultName
        let description = top["description"].flatMap { text($0, top.path("description"), expected: "a description") } ?? ""
        let title = top["title"].flatMap { readTitle($0, top.path("title")) }
        let dimensionsNode = required(top, "dimensions", expected: "the ranks, ethnicities, genders and max_service")
        let timeline = required(top, "simulation", expected: "start, horizon and step")
            .flatMap { readSimulation($0, top.path("simulation")) }
        let initialNode = required(top, "initial", expected: "csv: path, or ranks: headcount and shares per rank")
        let leavingNode = required(top, "leaving", expected: "bands and rates")
        // Without the categories nothing else can be checked meaningfully.
        guard let dimensions = dimensionsNode.flatMap({ readDimensions($0, top.path("dimensions")) }) else { return nil }
        let initial = initialNode.flatMap { readInitial($0, top.path("initial"), dimensions) }
        let leaving = leavingNode.flatMap { readLeaving($0, top.path("leaving"), dimensions) }
        let transfersOut = top["transfers_out"].flatMap { readLeaving($0, top.path("transfers_out"), dimensions, noun: "transfer-out") }
        var establishmentScale: Parameter?
        let establishment = top["establishment"].map {
            readEstablishment($0, top.path("establishment"), dimensions, scale: &establishmentScale)
        } ?? [:]
        let beforePromotion = diagnostics.count
        let promotion = top["promotion"].map {
            readPromotion($0, top.path("promotion"), dimensions, establishment: establishment)
        } ?? [:]
        // The ranks promoted from by pass rate are known only if every promotion rule could be read.
        let promotionRead = diagnostics.count == beforePromotion
        let before = diagnostics.count
        let intakes = top["recruitment"].map {
            readRecruitment($0, top.path("recruitment"), dimensions, establishment: establishment)
        } ?? []
        // The ranks that recruit are known only if every intake could be read.
        let intakeRanks = diagnostics.count == before ? Set(intakes.map(\.rank)) : nil
        let interventions = top["interventions"].map {
            readInterventions(
                $0, top.path("interventions"), dimensions, intakeRanks: intakeRanks,
                stages: intakeRanks.map { _ in
                    Dictionary(intakes.compactMap { i in i.funnel.map { (i.rank, $0.stages.map(\.name)) } }, uniquingKeysWith: +)
                },
                passRanks: promotionRead ? Set(promotion.compactMap { rank, rule in
                    if case .passRate = rule.mode { return rank - 1 }
                    return nil
                }) : nil)
        } ?? []
        let targets = top["targets"].map { readTargets($0, top.path("targets"), dimensions, timeline) } ?? []
        guard diagnostics.isEmpty, let timeline, let initial, let leaving else { return nil }
        var model = Model(
            name: name, description: description.trimmingCharacters(in: .whitespacesAndNewlines),
            dimensions: dimensions, timeline: timeline, parameters: parameters, initial: initial, leaving: leaving,
            transfersOut: transfersOut, establishment: establishment.compactMapValues { $0 }, promotion: promotion, intakes: intakes,
            interventions: interventions, targets: targets, establishmentScale: establishmentScale)
        model.title = title
        checkCapacity(model, initialNode: initialNode, recruitmentNode: top["recruitment"])
        applyLabels(top["labels"], top.path("labels"), to: &model)
        return diagnostics.isEmpty ? model : nil
    }
}

/// A scenario file read and parsed (YAML or JSON) once; `load(overrides:)` applies overrides to
/// the parsed tree and validates it into a model, without reading or parsing the file again.
/// Sendable (checked by hand): every stored property is a constant, and the parsed tree is a
/// value (Yams' `Node` is not declared Sendable only because of its `Tag` class, which nothing
/// here mutates), so one document may be loaded from several tasks at once (the workbench).
public struct ScenarioDocument: @unchecked Sendable {
    /// The file's path, as given, its folder (for relative paths such as an initial CSV), and
    /// the stem results are named after.
    public let file: String
    let directory: String
    let stem: String
    /// Lowercase hexadecimal SHA-256 of the file's bytes.
    public let sha256: String
    /// The file's text, as read (for `text(with:)`).
    let text: String
    /// The parsed tree; nil when the file is empty or is not valid YAML (`problems` says why).
    let root: Node?
    /// The file's own problems (empty file, YAML syntax), reported with every load.
    let problems: [Diagnostic]

    init(text: String, bytes: [UInt8], file: String, directory: String) {
        self.file = file
        self.directory = directory
        self.text = text
        let name = file.split(separator: "/").last.map(String.init) ?? file
        stem = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : String(name[..<$0]) } ?? name
        sha256 = SHA256.hex(bytes)
        var problems: [Diagnostic] = []
        var root: Node?
        do {
            root = try Yams.compose(yaml: text)
            if root == nil {
                problems.append(Diagnostic(file: file, message: "the file is empty; expected a scenario mapping"))
            }
        } catch {
            let (line, column, problem, expected) = ScenarioLoader.yamlProblem(error)
            if let tab = ScenarioLoader.indentingTab(in: text, upTo: line) {
                problems.append(Diagnostic(
                    file: file, line: tab.line, column: tab.column, message: "Tabs are not allowed in YAML; indent with spaces"))
            } else if expected != nil {
                problems.append(Diagnostic(
                    file: file, line: line, column: column,
                    path: ScenarioLoader.isDuplicateKey(error) ? ScenarioLoader.keyPath(in: text, line: line, column: column) : "",
                    message: "\(problem); expected \(expected!)"))
            } else {
                problems.append(Diagnostic(
                    file: file, line: line, column: column, message: "invalid YAML: \(problem); expected YAML or JSON"))
            }
        }
        self.root = root
        self.problems = problems
    }

    /// Applies `overrides` (`key.path=value` strings from `--set`) to the parsed tree, validates
    /// it and builds the model. Every problem, the file's own and the overrides', is reported at once.
    public func load(overrides: [String] = []) throws(InputError) -> LoadedScenario {
        try load(overrides: overrides, settings: [], assignments: [])
    }

    /// Applies `overrides` (`--set` strings), then the lever `settings`, then the `assignments`
    /// (each value set at its path keeping the input's variation, as a lever of mode `set` does:
    /// a sweep point, a solve evaluation), to the parsed tree in memory; validates it (the levers
    /// section against the file as written) and builds the model. Every problem is reported at
    /// once: a setting's or an assignment's at `<--lever NAME=VALUE>` or `<path=value>`.
    public func load(
        overrides: [String] = [], settings: [LeverSetting] = [], assignments: [FieldAssignment]
    ) throws(InputError) -> LoadedScenario {
        var diagnostics: [Diagnostic] = []
        var parsed: [Override] = []
        for text in overrides {
            do {
                parsed.append(try Override.parse(text))
            } catch {
                diagnostics.append(Diagnostic(file: Override.label(text), message: error.message))
            }
        }
        diagnostics += problems
        var root = self.root
        var applied: [Override] = []
        /// Applies overrides in order; one that cannot be applied is a diagnostic.
        func apply(_ overrides: [Override]) {
            for override in overrides {
                guard let tree = root else { break }
                do {
                    root = try override.applied(to: tree)
                    applied.append(override)
                } catch {
                    diagnostics.append(Diagnostic(file: override.label, path: override.path.description, message: error.message))
                }
            }
        }
        apply(parsed)
        var leverReader = ScenarioReader(file: file, directory: directory, overrides: [])
        let levers = self.root.map { leverReader.readLevers(in: $0) } ?? []
        diagnostics += leverReader.diagnostics
        if let tree = root, !settings.isEmpty || !assignments.isEmpty {
            apply(self.overrides(settings: settings, assignments: assignments, tree: tree, levers: levers, diagnostics: &diagnostics))
        }
        var reader = ScenarioReader(file: file, directory: directory, overrides: applied)
        let model = root.flatMap { reader.readModel($0, defaultName: stem) }
        let sweep = root.flatMap { reader.readSweep(in: $0) }
        diagnostics += reader.diagnostics
        guard diagnostics.isEmpty, let model else {
            throw InputError(
                sorting: diagnostics, mainFile: file,
                overrides: overrides.map(Override.label) + settings.map(\.label) + assignments.map(\.label))
        }
        return LoadedScenario(model: model, file: file, stem: stem, sha256: sha256, sweep: sweep)
    }
}
