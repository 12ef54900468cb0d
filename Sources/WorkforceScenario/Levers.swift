import WorkforceFormats
import Foundation
import Yams

// MARK: - Public types

/// How a lever's value is shown: `share` as a percentage, `multiplier` as `×`, `count` as
/// officers, `rate` as a percentage a year, `number` as written.
public enum LeverUnit: String, Sendable, Codable, CaseIterable {
    /// A share from 0 to 1 (shown as %).
    case share
    /// A factor ≥ 0 (shown as ×).
    case multiplier
    /// A number of officers ≥ 0.
    case count
    /// An annual probability from 0 to 1 (shown as % a year).
    case rate
    /// Any other number, shown as written.
    case number

    /// The values the unit allows, for a lever's range.
    public var allowed: ClosedRange<Double> {
        switch self {
        case .share, .rate: 0...1
        case .multiplier, .count: 0...Double.greatestFiniteMagnitude
        case .number: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        }
    }
}

/// How a lever moves its inputs (`docs/scenario-format.md#levers`).
public enum LeverMode: String, Sendable, Codable, CaseIterable {
    /// Every input's centre is set to the lever's value; the inputs must have one value as written,
    /// which is the lever's current value.
    case set
    /// Every input's centre is multiplied by the lever's value; the current value is 1 (as written).
    /// A path may name a table or list: every number below it is scaled.
    case scale
}

/// A named input (or inputs moved together) a user may change: a scenario's `levers:` entry,
/// validated against the scenario as written.
public struct Lever: Sendable, Hashable, Codable {
    /// The identifier users type: `bame-recruit-share` (a letter, then letters, digits, `-` or `_`).
    public var name: String
    /// What it is, in words: "BAME share of recruits (both intakes)".
    public var label: String
    /// The inputs it moves together.
    public var paths: [FieldPath]
    public var unit: LeverUnit
    /// The values it may take (contains `current`).
    public var range: ClosedRange<Double>
    /// The step between values a user is offered (> 0, at most the range's width).
    public var step: Double
    /// What one unit of the lever costs (in the scenario's own money or effort), when stated.
    public var costPerUnit: Double?
    /// Its value in the scenario as written: the inputs' common centre (`set`), or 1 (`scale`).
    public var current: Double
    public var mode: LeverMode

    public init(
        name: String, label: String, paths: [FieldPath], unit: LeverUnit, range: ClosedRange<Double>, step: Double,
        costPerUnit: Double? = nil, current: Double, mode: LeverMode = .set
    ) {
        self.name = name
        self.label = label
        self.paths = paths
        self.unit = unit
        self.range = range
        self.step = step
        self.costPerUnit = costPerUnit
        self.current = current
        self.mode = mode
    }

    /// Whether `name` can name a lever: a letter, then letters, digits, `-` or `_`.
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }
}

/// A lever set to a value (`--lever NAME=VALUE`).
public struct LeverSetting: Sendable, Hashable, Codable {
    public var lever: String
    public var value: Double

    public init(lever: String, value: Double) {
        self.lever = lever
        self.value = value
    }

    /// `NAME=VALUE` as typed.
    public var description: String { "\(lever)=\(ScenarioReader.format(value))" }

    /// Where problems with the setting are reported: `<--lever NAME=VALUE>`.
    var label: String { "<--lever \(description)>" }
}

/// A value set at one field path, keeping the input's variation (the `set` law of a lever):
/// what `--vary`, sweep points and solve evaluations apply in memory.
public struct FieldAssignment: Sendable, Hashable {
    public var path: FieldPath
    public var value: Double

    public init(path: FieldPath, value: Double) {
        self.path = path
        self.value = value
    }

    var label: String { "<\(path)=\(ScenarioReader.format(value))>" }
}

/// One number a user could set, as written in the scenario: its path, its centre, and the
/// distribution it is the centre of (nil for a plain number).
public struct ScenarioInput: Sendable, Hashable, Codable {
    public var path: FieldPath
    public var current: Double
    /// How it is written when it is not a plain number: `uniform [0.59, 0.76]`.
    public var distribution: String?
}

// MARK: - Number sites

/// A number or distribution in the tree, with the paths of the plain numbers it is written with.
struct NumberSite {
    enum Form: String, CaseIterable {
        case number, uniform, normal, beta, triangular
    }

    let path: FieldPath
    let form: Form
    let numbers: [Double]
    /// Where the input is written: `path`, or the `{value, year_to_year, …}` around it.
    var input: FieldPath

    init(path: FieldPath, form: Form, numbers: [Double], input: FieldPath? = nil) {
        self.path = path
        self.form = form
        self.numbers = numbers
        self.input = input ?? path
    }

    /// The paths of the plain numbers: the site itself, or `path.form[i]`.
    var numberPaths: [FieldPath] {
        form == .number ? [path] : numbers.indices.map { path.key(form.rawValue).index($0) }
    }

    /// The value a lever moves, to 12 significant digits (so that a uniform [1.1, 1.3] is at
    /// 1.2, not 1.2000000000000002): the number, or the distribution's mean.
    var centre: Double { SweepSpec.canonical(exactCentre) }

    private var exactCentre: Double {
        switch form {
        case .number, .normal: return numbers[0]
        case .uniform: return (numbers[0] + numbers[1]) / 2
        case .triangular: return (numbers[0] + numbers[1] + numbers[2]) / 3
        case .beta:
            let mean = numbers[0] / (numbers[0] + numbers[1])
            return numbers.count == 4 ? numbers[2] + (numbers[3] - numbers[2]) * mean : mean
        }
    }

    /// The numbers with the centre moved to `c`, keeping the variation: a uniform or triangular is
    /// shifted (width and shape kept), a normal keeps its sd, a beta on [0, 1] keeps a + b (its
    /// concentration), a beta on [low, high] keeps a and b and is shifted; the numbers a move
    /// computes are rounded to 12 significant digits, a plain number is set to `c` exactly. At
    /// the current centre the numbers are returned unchanged.
    func moved(to c: Double) -> [Double] {
        let centre = self.centre
        guard c != centre else { return numbers }
        let delta = c - centre
        let round = SweepSpec.canonical
        switch form {
        case .number: return [c]
        case .normal: return [c, numbers[1]]
        case .uniform, .triangular: return numbers.map { round($0 + delta) }
        case .beta:
            if numbers.count == 4 { return [numbers[0], numbers[1], round(numbers[2] + delta), round(numbers[3] + delta)] }
            let n = numbers[0] + numbers[1]
            return [round(c * n), round((1 - c) * n)]
        }
    }

    /// `uniform [0.59, 0.76]`, or nil for a number.
    var written: String? {
        form == .number ? nil : "\(form.rawValue) [\(numbers.map(ScenarioReader.format).joined(separator: ", "))]"
    }

    /// The site at `node`, written at `path`: a plain number, a distribution, or the value of a
    /// `{value, year_to_year, …}` (whose path is then `path.value`). Nil for anything else.
    static func at(_ node: Node, _ path: FieldPath) -> NumberSite? {
        if let value = ScenarioReader.plainNumber(node) { return NumberSite(path: path, form: .number, numbers: [value]) }
        guard case .mapping(let mapping) = node else { return nil }
        if ScenarioReader.isVaried(node) {
            guard let value = mapping.first(where: { ScenarioReader.scalarText($0.key) == "value" })?.value,
                  var site = at(value, path.key("value"))
            else { return nil }
            site.input = path
            return site
        }
        guard mapping.count == 1, let (key, value) = mapping.first,
              let form = ScenarioReader.scalarText(key).flatMap(Form.init(rawValue:)), form != .number,
              case .sequence(let items) = value
        else { return nil }
        let numbers = items.compactMap(ScenarioReader.plainNumber)
        let counts: [Form: [Int]] = [.uniform: [2], .normal: [2], .beta: [2, 4], .triangular: [3]]
        guard numbers.count == items.count, counts[form]!.contains(numbers.count) else { return nil }
        return NumberSite(path: path, form: form, numbers: numbers)
    }

    /// Every site at or below `node`: with `valuesOnly`, a `{value, year_to_year, …}` gives its
    /// value alone (what a scaling lever moves); without, every number (what `levers` lists).
    static func all(in node: Node, _ path: FieldPath, valuesOnly: Bool) -> [NumberSite] {
        if let site = at(node, path), valuesOnly || !ScenarioReader.isVaried(node) { return [site] }
        switch node {
        case .mapping(let mapping):
            return mapping.flatMap { key, value in
                ScenarioReader.scalarText(key).map { all(in: value, path.key($0), valuesOnly: valuesOnly) } ?? []
            }
        case .sequence(let items):
            return items.enumerated().flatMap { all(in: $1, path.index($0), valuesOnly: valuesOnly) }
        default:
            return []
        }
    }
}

extension Node {
    /// The node at `path` below this one, or nil when there is none.
    func at(_ path: FieldPath) -> Node? {
        var node = self
        for step in path.steps {
            switch (step, node) {
            case (.key(let key), .mapping(let mapping)):
                guard let next = mapping.first(where: { ScenarioReader.scalarText($0.key) == key })?.value else { return nil }
                node = next
            case (.index(let index), .sequence(let items)) where index < items.count:
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }
}

extension ScenarioReader {
    /// A number as a scalar's text that reads back as exactly the same double: whole numbers
    /// (to 2^53) without `.0`, so that whole-number fields accept them; others in the shortest
    /// form that round-trips.
    static func exactText(_ value: Double) -> String {
        // checked: whole and at most 2^53 in magnitude, where a double holds every whole number
        if value == value.rounded(), abs(value) <= 0x1p53 { return String(Int(value)) }
        return "\(value)"
    }

    /// The sections of a scenario whose numbers are not inputs a lever or `levers` offers.
    static let structuralSections: Set<String> = ["name", "description", "dimensions", "simulation", "labels", "sweep", "levers"]

    // MARK: - Reading the levers section

    /// Reads `levers:` against the tree `root` it is part of (every problem reported at once).
    mutating func readLevers(in root: Node) -> [Lever] {
        guard case .mapping(let mapping) = root,
              let node = mapping.first(where: { Self.scalarText($0.key) == "levers" })?.value, !Self.isNull(node)
        else { return [] }
        let path = FieldPath.root.key("levers")
        guard let items = list(node, path, expected: "a list of levers: {name, label, paths, unit, range, step}") else { return [] }
        var levers: [Lever] = []
        var names: [String: FieldPath] = [:]
        var owners: [FieldPath: String] = [:]
        for (i, item) in items.enumerated() {
            guard let lever = readLever(item, path.index(i), root: root) else { continue }
            if names[lever.name] != nil {
                report("lever name '\(lever.name)' is used twice; expected each lever's name once",
                       at: item.at(FieldPath.root.key("name")), path.index(i).key("name"))
                continue
            }
            names[lever.name] = path.index(i)
            var clash = false
            for (j, leverPath) in lever.paths.enumerated() {
                let numberPaths = Self.leverSites(root.at(leverPath)!, leverPath, lever.mode).flatMap(\.numberPaths)
                if let other = numberPaths.lazy.compactMap({ owners[$0] }).first {
                    report("'\(leverPath)' is moved by lever '\(other)' too; expected each input in one lever",
                           at: Self.pathNode(item, j), path.index(i).key("paths").index(j))
                    clash = true
                }
                for numberPath in numberPaths { owners[numberPath] = lever.name }
            }
            if !clash { levers.append(lever) }
        }
        return levers
    }

    /// The node of the `j`th path of a lever item (for locating a problem).
    private static func pathNode(_ item: Node, _ j: Int) -> Node? {
        let paths = item.at(FieldPath.root.key("paths"))
        if case .sequence? = paths { return paths?.at(FieldPath.root.index(j)) }
        return paths
    }

    /// The sites a lever moves at `node`: for `set`, the one number or distribution; for `scale`,
    /// every value at or below it.
    static func leverSites(_ node: Node, _ path: FieldPath, _ mode: LeverMode) -> [NumberSite] {
        switch mode {
        case .set: NumberSite.at(node, path).map { [$0] } ?? []
        case .scale: NumberSite.all(in: node, path, valuesOnly: true)
        }
    }

    private mutating func readLever(_ node: Node, _ path: FieldPath, root: Node) -> Lever? {
        let keys = ["name", "label", "paths", "unit", "range", "step", "cost_per_unit", "mode"]
        guard let item = record(node, path, expected: "a lever: {name, label, paths, unit, range, step, cost_per_unit, mode}", keys: keys)
        else { return nil }
        let before = diagnostics.count
        let name = required(item, "name", expected: "the lever's name, e.g. bame-recruit-share")
            .flatMap { text($0, item.path("name"), expected: "the lever's name, e.g. bame-recruit-share") }
        if let name, !Lever.isIdentifier(name), let nameNode = item["name"] {
            report("'\(name)' is not an identifier; expected a letter, then letters, digits, - or _ (e.g. bame-recruit-share)",
                   at: nameNode, item.path("name"))
        }
        let label = required(item, "label", expected: "what the lever is, in words")
            .flatMap { text($0, item.path("label"), expected: "what the lever is, in words") }
        let unitNames = LeverUnit.allCases.map(\.rawValue)
        let unit = required(item, "unit", expected: "one of: \(unitNames.joined(separator: ", "))").flatMap { unitNode -> LeverUnit? in
            guard let text = text(unitNode, item.path("unit"), expected: "one of: \(unitNames.joined(separator: ", "))") else { return nil }
            guard let unit = LeverUnit(rawValue: text) else {
                report(Self.unknown("unit", text, unitNames), at: unitNode, item.path("unit"))
                return nil
            }
            return unit
        }
        var mode = LeverMode.set
        if let modeNode = item["mode"] {
            let names = LeverMode.allCases.map(\.rawValue)
            if let text = text(modeNode, item.path("mode"), expected: "one of: \(names.joined(separator: ", "))") {
                if let value = LeverMode(rawValue: text) { mode = value } else {
                    report(Self.unknown("mode", text, names), at: modeNode, item.path("mode"))
                }
            }
        }
        // The paths, each resolved against the tree.
        var paths: [FieldPath] = []
        var currents: [(FieldPath, Double)] = []
        if let pathsNode = required(item, "paths", expected: "the field paths of the inputs it moves together") {
            let entries: [(Node, FieldPath)]
            if case .sequence(let sequence) = pathsNode {
                if sequence.isEmpty { report("found an empty list; expected at least one field path", at: pathsNode, item.path("paths")) }
                entries = sequence.enumerated().map { ($1, item.path("paths").index($0)) }
            } else {
                entries = [(pathsNode, item.path("paths"))]
            }
            let expected = "the field path of a number or distribution in the scenario, e.g. recruitment[0].ethnicity[0].shares.Black"
            for (entryNode, entryPath) in entries {
                guard let written = text(entryNode, entryPath, expected: expected) else { continue }
                guard let fieldPath = FieldPath(written) else {
                    report("malformed path '\(written)'; expected \(expected)", at: entryNode, entryPath)
                    continue
                }
                if case .key(let section)? = fieldPath.steps.first, Self.structuralSections.contains(section) {
                    report("'\(written)' is in the \(section) section; expected \(expected)", at: entryNode, entryPath)
                    continue
                }
                guard let target = root.at(fieldPath) else {
                    report("no input at '\(written)'; expected \(expected)", at: entryNode, entryPath)
                    continue
                }
                let sites = Self.leverSites(target, fieldPath, mode)
                guard let site = sites.first else {
                    report("'\(written)' is \(Self.describe(target)), not a number; expected "
                           + (mode == .set ? "the path of a number or a distribution (or mode: scale for a table)" : "a path with numbers below it"),
                           at: entryNode, entryPath)
                    continue
                }
                if paths.contains(fieldPath) {
                    report("'\(written)' is listed twice; expected each path once", at: entryNode, entryPath)
                    continue
                }
                paths.append(fieldPath)
                currents.append((fieldPath, site.centre))
            }
        }
        var current = 1.0
        if mode == .set, let (firstPath, first) = currents.first {
            current = first
            for (otherPath, other) in currents.dropFirst() where abs(other - first) > 1e-9 * max(1, abs(first)) {
                report("'\(firstPath)' is \(Self.format(first)) but '\(otherPath)' is \(Self.format(other)); "
                       + "expected inputs with one value to move together (or mode: scale, which multiplies each)",
                       at: item["paths"], item.path("paths"))
                break
            }
        }
        // The numbers, each checked against its stated range.
        var range: ClosedRange<Double>?
        if let rangeNode = required(item, "range", expected: "[min, max], the values the lever may take") {
            let expected = "[min, max] with min < max, the values the lever may take"
            if case .sequence(let bounds) = rangeNode, bounds.count == 2,
               let low = number(bounds[0], item.path("range").index(0), expected: "a number"),
               let high = number(bounds[1], item.path("range").index(1), expected: "a number") {
                let allowed = unit?.allowed ?? LeverUnit.number.allowed
                if !(low < high) {
                    report("[\(Self.format(low)), \(Self.format(high))] is empty; expected \(expected)", at: rangeNode, item.path("range"))
                } else if !allowed.contains(low) || !allowed.contains(high) {
                    report("[\(Self.format(low)), \(Self.format(high))] goes \(Quantity(range: allowed, expected: "").outside) "
                           + "for a \(unit?.rawValue ?? "number"); expected a range within \(Self.format(allowed.lowerBound))"
                           + (allowed.upperBound == .greatestFiniteMagnitude ? " or more" : "...\(Self.format(allowed.upperBound))"),
                           at: rangeNode, item.path("range"))
                } else if !currents.isEmpty, !(low...high).contains(current) {
                    report("[\(Self.format(low)), \(Self.format(high))] does not contain the current value \(Self.format(current)); "
                           + "expected a range that contains it", at: rangeNode, item.path("range"))
                } else {
                    range = low...high
                }
            } else if case .sequence(let bounds) = rangeNode, bounds.count == 2 {
                // number() reported the bound that is not a number
            } else {
                report("found \(Self.describe(rangeNode)); expected \(expected)", at: rangeNode, item.path("range"))
            }
        }
        var step: Double?
        if let stepNode = required(item, "step", expected: "the step between the values offered, > 0") {
            if let value = number(stepNode, item.path("step"), expected: "the step between the values offered, > 0") {
                if !(value > 0) {
                    report("\(Self.format(value)) is not above 0; expected the step between the values offered, > 0", at: stepNode, item.path("step"))
                } else if let range, value > range.upperBound - range.lowerBound {
                    report("\(Self.format(value)) is wider than the range (\(Self.format(range.upperBound - range.lowerBound))); "
                           + "expected a step > 0 and at most the range's width", at: stepNode, item.path("step"))
                } else {
                    step = value
                }
            }
        }
        var cost: Double?
        if let costNode = item["cost_per_unit"],
           let value = number(costNode, item.path("cost_per_unit"), expected: "the cost of one unit of the lever, ≥ 0") {
            if value < 0 {
                report("\(Self.format(value)) is negative; expected the cost of one unit of the lever, ≥ 0", at: costNode, item.path("cost_per_unit"))
            } else {
                cost = value
            }
        }
        guard diagnostics.count == before, let name, let label, let unit, let range, let step, !paths.isEmpty else { return nil }
        return Lever(name: name, label: label, paths: paths, unit: unit, range: range, step: step, costPerUnit: cost,
                     current: current, mode: mode)
    }
}

// MARK: - Edits

/// One plain number in the tree replaced: what a lever setting or an assignment comes down to.
struct NumberEdit: Hashable {
    let path: FieldPath
    let value: Double
    /// The input the number is part of (a distribution, a `{value, year_to_year}`).
    let input: FieldPath
}

extension Lever {
    /// The numbers to replace in `root` to set the lever to `value` (none at the current value).
    func edits(to value: Double, in root: Node) -> [NumberEdit] {
        paths.flatMap { path -> [NumberEdit] in
            guard let node = root.at(path) else { return [] }
            return ScenarioReader.leverSites(node, path, mode).flatMap { site in
                // Scaling: each centre times the value, to 12 significant digits.
                let target = mode == .set ? value : SweepSpec.canonical(site.centre * value)
                return zip(site.numberPaths, zip(site.numbers, site.moved(to: target)))
                    .filter { $1.0 != $1.1 }
                    .map { NumberEdit(path: $0, value: $1.1, input: site.input) }
            }
        }
    }
}

extension ScenarioDocument {
    /// The scenario's levers, validated against the file as written (`docs/scenario-format.md#levers`).
    public var levers: [Lever] {
        get throws(InputError) {
            guard problems.isEmpty, let root else { throw InputError(problems) }
            var reader = ScenarioReader(file: file, directory: directory, overrides: [])
            let levers = reader.readLevers(in: root)
            guard reader.diagnostics.isEmpty else {
                throw InputError(sorting: reader.diagnostics, mainFile: file, overrides: [])
            }
            return levers
        }
    }

    /// Every number in the scenario's inputs (outside name, description, dimensions, simulation,
    /// labels, sweep and levers) with its current value, in file order; a distribution is one
    /// input (its centre), a `{value, year_to_year, …}` gives its value and its variation's numbers.
    public var inputs: [ScenarioInput] {
        guard case .mapping(let mapping)? = root else { return [] }
        return mapping.flatMap { key, value -> [ScenarioInput] in
            guard let section = ScenarioReader.scalarText(key), !ScenarioReader.structuralSections.contains(section) else { return [] }
            return NumberSite.all(in: value, FieldPath.root.key(section), valuesOnly: false).map {
                ScenarioInput(path: $0.path, current: $0.centre, distribution: $0.written)
            }
        }
    }

    /// Reads `NAME=VALUE` (`--lever`): the name as written and the value a finite number.
    public static func leverSetting(_ text: String) throws(InputError) -> LeverSetting {
        let label = "<--lever \(text)>"
        guard let equals = text.firstIndex(of: "="), !text[..<equals].isEmpty else {
            throw InputError([Diagnostic(file: label, message: "no NAME=; expected NAME=VALUE, e.g. bame-recruit-share=0.45")])
        }
        let valueText = text[text.index(after: equals)...]
        guard let value = Double(valueText), value.isFinite else {
            throw InputError([Diagnostic(
                file: label, message: "'\(valueText)' is not a number; expected NAME=VALUE, e.g. bame-recruit-share=0.45")])
        }
        return LeverSetting(lever: String(text[..<equals]), value: value)
    }

    /// The edits that `settings` and `assignments` make to `tree` (the file's tree, or one with
    /// `--set` overrides applied), each with the label its problems are reported at; problems
    /// with the settings themselves (an unknown lever, a value outside its range, a lever set
    /// twice) are appended to `diagnostics`. An assignment at a path that holds no number or
    /// distribution replaces the node there (as `--set` does).
    func overrides(
        settings: [LeverSetting], assignments: [FieldAssignment], tree: Node, levers: [Lever], diagnostics: inout [Diagnostic]
    ) -> [Override] {
        var result: [Override] = []
        var seen: Set<String> = []
        for setting in settings {
            guard let lever = levers.first(where: { $0.name == setting.lever }) else {
                let names = levers.map(\.name)
                diagnostics.append(Diagnostic(file: setting.label, message: names.isEmpty
                    ? "no lever '\(setting.lever)': \(file) has no levers section; expected a lever defined under levers:"
                    : ScenarioReader.unknown("lever", setting.lever, names).replacingOccurrences(
                        of: "unknown lever '\(setting.lever)'", with: "unknown lever '\(setting.lever)' in \(file)")))
                continue
            }
            guard seen.insert(lever.name).inserted else {
                diagnostics.append(Diagnostic(file: setting.label, message: "lever '\(lever.name)' is set twice; expected each lever once"))
                continue
            }
            guard lever.range.contains(setting.value) else {
                diagnostics.append(Diagnostic(file: setting.label, message:
                    "\(ScenarioReader.format(setting.value)) is outside the lever's range "
                    + "\(ScenarioReader.format(lever.range.lowerBound))...\(ScenarioReader.format(lever.range.upperBound)); "
                    + "expected a value in it (\(lever.label))"))
                continue
            }
            result += lever.edits(to: setting.value, in: tree).map {
                Override(path: $0.path, value: Node(ScenarioReader.exactText($0.value)), label: setting.label, input: $0.input)
            }
        }
        for assignment in assignments {
            if let node = tree.at(assignment.path), let site = NumberSite.at(node, assignment.path) {
                result += zip(site.numberPaths, zip(site.numbers, site.moved(to: assignment.value)))
                    .filter { $1.0 != $1.1 }
                    .map { Override(path: $0, value: Node(ScenarioReader.exactText($1.1)), label: assignment.label, input: site.input) }
            } else {
                result.append(Override(path: assignment.path, value: Node(ScenarioReader.exactText(assignment.value)), label: assignment.label))
            }
        }
        return result
    }

    /// Applies `overrides` (`--set` strings), then the lever `settings`, to the parsed tree,
    /// validates it and builds the model; nothing is read or parsed again.
    public func load(overrides: [String] = [], settings: [LeverSetting]) throws(InputError) -> LoadedScenario {
        try load(overrides: overrides, settings: settings, assignments: [])
    }

    /// The variant with the lever `settings` as scenario text that loads to the same model as
    /// `load(settings:)` (so `workforce run` gives bit-identical results): the file's text with
    /// the moved numbers rewritten in place (comments and layout kept), or, when that cannot be
    /// done faithfully (a moved number quoted, or written once and used through an alias by an
    /// input the lever does not move), the edited tree written out as YAML. Relative paths in it
    /// (an initial CSV) resolve against the folder it is saved in.
    public func text(with settings: [LeverSetting]) throws(InputError) -> String {
        guard problems.isEmpty, let root else { throw InputError(problems) }
        let levers = try self.levers
        var diagnostics: [Diagnostic] = []
        let edits = self.overrides(settings: settings, assignments: [], tree: root, levers: levers, diagnostics: &diagnostics)
        guard diagnostics.isEmpty else {
            throw InputError(sorting: diagnostics, mainFile: file, overrides: settings.map(\.label))
        }
        var edited = root
        for edit in edits {
            do { edited = try edit.applied(to: edited) } catch {
                throw InputError([Diagnostic(file: edit.label, path: edit.path.description, message: error.message)])
            }
        }
        if let patched = Self.patched(text, root: root, edits: edits),
           let reparsed = try? Yams.compose(yaml: patched), Self.same(reparsed, edited) {
            return patched
        }
        do {
            return try Yams.serialize(node: edited)
        } catch {
            throw InputError([Diagnostic(file: file, message: "cannot write the variant as YAML (\(error)); expected a scenario Yams can write")])
        }
    }

    /// `text` with each edited plain number rewritten where it is written; nil when an edited
    /// number is not a plain scalar with a position, or two edits rewrite one place differently.
    private static func patched(_ text: String, root: Node, edits: [Override]) -> String? {
        var replacements: [Int: [Int: (length: Int, text: String)]] = [:]  // line → column → replacement
        for edit in edits {
            guard case .scalar(let scalar)? = root.at(edit.path), scalar.style == .plain || scalar.style == .any,
                  let mark = root.at(edit.path)?.mark, let newText = ScenarioReader.scalarText(edit.value)
            else { return nil }
            let replacement = (length: scalar.string.unicodeScalars.count, text: newText)
            if let existing = replacements[mark.line]?[mark.column] {
                guard existing.text == newText else { return nil }
            }
            replacements[mark.line, default: [:]][mark.column] = replacement
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        for (line, columns) in replacements {
            guard line >= 1, line <= lines.count else { return nil }
            for (column, replacement) in columns.sorted(by: { $0.key > $1.key }) {
                let start = column - 1
                guard start >= 0, start + replacement.length <= lines[line - 1].count else { return nil }
                lines[line - 1].replaceSubrange(start..<(start + replacement.length), with: Array(replacement.text.unicodeScalars))
            }
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    /// Whether two trees hold the same keys, items and scalar texts in the same order.
    private static func same(_ a: Node, _ b: Node) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return x.string == y.string
        case (.sequence(let x), .sequence(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        default: return false
        }
    }
}
