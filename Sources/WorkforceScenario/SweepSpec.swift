import Foundation
import Yams

/// What a sweep varies and how: a scenario's `sweep` section, or `workforce sweep --vary` on the
/// command line (docs/sweeps.md). Each value is a number, set at its path the way `--set` sets it.
public struct SweepSpec: Sendable, Hashable {
    /// The parameters varied, in the order given (in a grid, the last varies fastest).
    public var parameters: [Parameter]
    /// With a value, a Latin hypercube of this many points over the parameters' ranges;
    /// without, the full grid of the parameters' values.
    public var samples: Int?

    public init(parameters: [Parameter], samples: Int?) {
        self.parameters = parameters
        self.samples = samples
    }

    /// The most points a sweep may have (a guard against a step typed too small).
    public static let maxPoints = 10_000

    /// One parameter varied: a field path and its values.
    public struct Parameter: Sendable, Hashable {
        /// The field path, written as `--set` writes it, e.g. `recruitment[0].ethnicity[1].shares.Black`;
        /// or, when `lever`, the name of a lever of the scenario.
        public var path: String
        public var values: Values
        /// Whether `path` names a lever (`--lever`, `{lever: NAME, ...}`) rather than a field.
        public var lever: Bool

        public init(path: String, values: Values, lever: Bool = false) {
            self.path = path
            self.values = values
            self.lever = lever
        }
    }

    /// A parameter's values.
    public enum Values: Sendable, Hashable {
        /// `from`, `from + step`, `from + 2·step`, … up to `to` inclusive (within a billionth of a step).
        case steps(from: Double, to: Double, step: Double)
        /// The values listed, in order.
        case list([Double])
        /// Any value in `from ..< to`: an axis of a Latin hypercube.
        case range(from: Double, to: Double)
    }

    /// The number of points in the sweep: the samples, or the product of the grid's sizes (nil
    /// when a parameter has no grid, or the grid has more than `maxPoints` points).
    public var pointCount: Int? {
        if let samples { return samples }
        var count = 1
        for parameter in parameters {
            guard let values = parameter.values.count, count * values <= Self.maxPoints else { return nil }
            count *= values
        }
        return count
    }

    /// A value as the sweep sets and writes it: rounded to 12 significant digits, so that grid
    /// arithmetic (`0.1 + 3 × 0.05`) gives the number as typed (`0.25`).
    public static func canonical(_ value: Double) -> Double {
        Double(String(format: "%.12g", value)) ?? value
    }

    /// A canonical value's text, as written in `--set` overrides and in sweep.csv: at most 12
    /// significant digits, whole numbers without `.0` (so integer fields accept them).
    public static func text(_ value: Double) -> String {
        ScenarioReader.format(value)
    }

    /// Every problem with the spec, each with the index of the parameter it is about (nil for the
    /// spec as a whole), in parameter order. Empty when the spec can be swept.
    public var problems: [(parameter: Int?, message: String)] {
        var problems: [(parameter: Int?, message: String)] = []
        if parameters.isEmpty {
            problems.append((nil, "no parameters to vary; expected at least one"))
        }
        var seen: Set<String> = []
        for (i, parameter) in parameters.enumerated() {
            if parameter.lever, !Lever.isIdentifier(parameter.path) {
                problems.append((i, "'\(parameter.path)' is not a lever name; expected a lever of the scenario (workforce levers lists them)"))
            } else if !parameter.lever, let problem = Self.pathProblem(parameter.path) {
                problems.append((i, problem))
            } else if !seen.insert(parameter.path).inserted {
                problems.append((i, parameter.lever ? "lever '\(parameter.path)' is swept twice; expected each lever once"
                                   : "path '\(parameter.path)' is varied twice; expected each path once"))
            }
            if let problem = parameter.values.problem {
                problems.append((i, problem))
            } else if samples != nil, parameter.values.count != nil {
                problems.append((i, "with samples (a Latin hypercube) every parameter is a range; expected from and to, without step or values"))
            } else if samples == nil, parameter.values.count == nil {
                problems.append((i, "a range without a step; expected from, to and step (a grid), values, or samples for a Latin hypercube"))
            }
        }
        if let samples, !(1...Self.maxPoints).contains(samples) {
            problems.append((nil, "\(samples) samples; expected 1 to \(Self.maxPoints)"))
        }
        if problems.isEmpty, pointCount == nil {
            problems.append((nil, "the grid has more than \(Self.maxPoints) points; expected fewer values"))
        }
        return problems
    }

    /// Why `path` cannot be varied, or nil: it must be a `--set` path, not inside `sweep`, and
    /// not the seed or the replications, which every point shares (common random numbers).
    static func pathProblem(_ path: String) -> String? {
        let expected = "a field path as --set writes it, e.g. leaving.rates.Constable[2]"
        guard !path.contains("="), let override = try? Override.parse(path + "=0") else {
            return "malformed path '\(path)'; expected \(expected)"
        }
        if override.path.isWithin(FieldPath.root.key("sweep")) {
            return "path '\(path)' is inside the sweep section; expected a path in the scenario itself"
        }
        let simulation = FieldPath.root.key("simulation")
        if override.path.isWithin(simulation.key("seed")) || override.path.isWithin(simulation.key("replications")) {
            return "path '\(path)': every point of a sweep runs with the same seed and replications (common random numbers); "
                + "expected another path (set them with --seed and --replications)"
        }
        return nil
    }
}

extension SweepSpec.Values {
    /// How many values a grid axis has; nil for a range (and for steps past `SweepSpec.maxPoints`).
    public var count: Int? {
        switch self {
        case .steps(let from, let to, let step):
            guard step > 0, to >= from else { return nil }
            let count = ((to - from) / step + 1e-9).rounded(.down) + 1
            // checked: count is at most SweepSpec.maxPoints
            return count <= Double(SweepSpec.maxPoints) ? Int(count) : nil
        case .list(let values):
            return values.count
        case .range:
            return nil
        }
    }

    /// The grid values, canonical (see `SweepSpec.canonical`); nil for a range.
    public var grid: [Double]? {
        switch self {
        case .steps(let from, _, let step):
            return count.map { n in (0..<n).map { SweepSpec.canonical(from + Double($0) * step) } }
        case .list(let values):
            return values.map(SweepSpec.canonical)
        case .range:
            return nil
        }
    }

    /// What is wrong with these values on their own, or nil.
    var problem: String? {
        let format = ScenarioReader.format
        switch self {
        case .steps(let from, let to, let step):
            if !(step > 0) { return "step \(format(step)) is not positive; expected a step above 0" }
            if to < from { return "from \(format(from)) is above to \(format(to)); expected from ≤ to" }
            if count == nil {
                return "from \(format(from)) to \(format(to)) by \(format(step)) is more than \(SweepSpec.maxPoints) values; expected a larger step"
            }
        case .list(let values):
            if values.isEmpty { return "no values; expected a list of at least one number" }
            if values.count > SweepSpec.maxPoints { return "more than \(SweepSpec.maxPoints) values; expected fewer" }
        case .range(let from, let to):
            if !(from < to) { return "from \(format(from)) is not below to \(format(to)); expected from < to" }
        }
        return nil
    }
}

extension ScenarioReader {
    /// Reads the `sweep` section of a scenario's root mapping, if it has one (see
    /// docs/scenario-format.md): nil when absent or when it has problems, which are reported.
    mutating func readSweep(in root: Node) -> SweepSpec? {
        guard case .mapping(let mapping) = root,
              let node = mapping.first(where: { Self.scalarText($0.key) == "sweep" })?.value, !Self.isNull(node)
        else { return nil }
        let path = FieldPath.root.key("sweep")
        let before = diagnostics.count
        guard let sweep = record(node, path, expected: "vary: a list of parameters, and optionally samples", keys: ["vary", "samples"])
        else { return nil }
        let samples = sweep["samples"].flatMap {
            integer($0, sweep.path("samples"), atLeast: 1, expected: "the number of Latin hypercube points, at least 1")
        }
        // Whether a parameter should be a range depends on samples: without it, no spec checks.
        let samplesRead = diagnostics.count == before
        var parameters: [(parameter: SweepSpec.Parameter, node: Node, path: FieldPath)] = []
        let expected = "a list of {path, from, to, step}, {path, values} or, with samples, {path, from, to}"
        if let varyNode = required(sweep, "vary", expected: expected),
           let items = list(varyNode, sweep.path("vary"), expected: expected) {
            for (i, item) in items.enumerated() {
                let itemPath = sweep.path("vary").index(i)
                if let parameter = readSweepParameter(item, itemPath) { parameters.append((parameter, item, itemPath)) }
            }
        }
        // The parameters read are checked even when others could not be; the whole only when all were.
        let complete = diagnostics.count == before
        let spec = SweepSpec(parameters: parameters.map(\.parameter), samples: samples)
        for problem in samplesRead ? spec.problems : [] {
            if let i = problem.parameter {
                report(problem.message, at: parameters[i].node, parameters[i].path)
            } else if complete {
                report(problem.message, at: node, path)
            }
        }
        return diagnostics.count == before ? spec : nil
    }

    /// Reads one `sweep.vary` entry.
    private mutating func readSweepParameter(_ node: Node, _ path: FieldPath) -> SweepSpec.Parameter? {
        guard let item = record(
            node, path, expected: "{path, from, to, step}, {path, values: [...]} or {path, from, to}",
            keys: ["path", "lever", "from", "to", "step", "values"])
        else { return nil }
        let isLever = item["lever"] != nil
        if isLever, let pathKey = item.keyNode("path") {
            report("path given with lever; expected either a path or a lever", at: pathKey, item.path("path"))
        }
        let field = isLever
            ? item["lever"].flatMap { text($0, item.path("lever"), expected: "the name of a lever of the scenario") }
            : required(item, "path", expected: "a field path as --set writes it, e.g. leaving.rates.Constable[2] (or lever: NAME)")
                .flatMap { text($0, item.path("path"), expected: "a field path as --set writes it") }
        let values: SweepSpec.Values?
        if let valuesNode = item["values"] {
            for key in item.present(["from", "to", "step"]) {
                report("\(key) given with values; expected either values or from and to", at: item.keyNode(key), item.path(key))
            }
            let numbers = list(valuesNode, item.path("values"), expected: "a list of numbers")?.enumerated().map {
                number($0.element, item.path("values").index($0.offset), expected: "a number")
            }
            values = numbers.flatMap { numbers in numbers.contains(nil) ? nil : .list(numbers.compactMap { $0 }) }
        } else {
            let from = required(item, "from", expected: "a number (or give values)").flatMap { number($0, item.path("from"), expected: "a number") }
            let to = required(item, "to", expected: "a number").flatMap { number($0, item.path("to"), expected: "a number") }
            let step = item["step"].map { number($0, item.path("step"), expected: "a number above 0") }
            switch (from, to, step) {
            case (let from?, let to?, nil): values = .range(from: from, to: to)
            case (let from?, let to?, let step??): values = .steps(from: from, to: to, step: step)
            default: values = nil
            }
        }
        guard let field, let values else { return nil }
        return SweepSpec.Parameter(path: field, values: values, lever: isLever)
    }
}
