import WorkforceFormats
import ArgumentParser
import Foundation
import Workforce
import WorkforceResults
import WorkforceScenario

/// A sweep's points: each parameter's value at each point, in point order (numbered from 0).
struct SweepDesign {
    let spec: SweepSpec
    /// `points[i][j]`: parameter `j`'s value at point `i`, canonical (`SweepSpec.canonical`).
    let points: [[Double]]

    /// The full grid, the last parameter varying fastest (nested loops in the order given); or,
    /// with `spec.samples`, the Latin hypercube drawn from `seed` over the parameters' ranges.
    /// `spec` must have no `problems`.
    init(_ spec: SweepSpec, seed: UInt64) throws(EngineError) {
        self.spec = spec
        if let samples = spec.samples {
            let unit = try LatinHypercube.sample(count: samples, dimensions: spec.parameters.count, seed: seed)
            let ranges = spec.parameters.map { parameter -> (from: Double, to: Double) in
                guard case .range(let from, let to) = parameter.values else { preconditionFailure("a Latin hypercube over a grid axis") }
                return (from, to)
            }
            points = unit.map { u in zip(ranges, u).map { SweepSpec.canonical($0.from + $1 * ($0.to - $0.from)) } }
        } else {
            var points: [[Double]] = [[]]
            for parameter in spec.parameters {
                let axis = parameter.values.grid ?? []
                points = points.flatMap { point in axis.map { point + [$0] } }
            }
            self.points = points
        }
    }

    /// The levers set at point `i` (its lever parameters).
    func settings(point i: Int) -> [LeverSetting] {
        zip(spec.parameters, points[i]).filter(\.0.lever).map { LeverSetting(lever: $0.path, value: $1) }
    }

    /// The values set at point `i` at its field paths (each keeping the input's variation).
    func assignments(point i: Int) -> [FieldAssignment] {
        // checked: every path was checked by SweepSpec.problems
        zip(spec.parameters, points[i]).filter { !$0.0.lever }.map { FieldAssignment(path: FieldPath($0.path)!, value: $1) }
    }

    /// Point `i` applied in memory to the document parsed once, after the `--set` overrides.
    func load(point i: Int, _ document: ScenarioDocument, overrides: [String]) throws(InputError) -> LoadedScenario {
        try document.load(overrides: overrides, settings: settings(point: i), assignments: assignments(point: i))
    }

    /// How messages name point `i`: `point 7 (a=0.1, b=2)`.
    func label(point i: Int) -> String {
        "point \(i) (\(zip(spec.parameters, points[i]).map { "\($0.path)=\(SweepSpec.text($1))" }.joined(separator: ", ")))"
    }
}

extension SweepSpec {
    /// "grid 5 × 3 = 15 points" or "Latin hypercube of 100 points over 2 ranges".
    var summary: String {
        if let samples { return "Latin hypercube of \(samples) points over \(parameters.count) range\(parameters.count == 1 ? "" : "s")" }
        let n = pointCount ?? 0
        return "grid " + parameters.map { String($0.values.count ?? 0) }.joined(separator: " × ") + " = \(n) point\(n == 1 ? "" : "s")"
    }
}

extension SweepSpec.Parameter {
    /// The forms `--vary` accepts.
    static let varyForms = "path=from:to:step, path=v1,v2,... or, with --samples, path=from:to"

    /// Parses a `--lever` argument: `NAME=from:to:step`, `NAME=v1,v2,…` or `NAME=from:to`, as `--vary`.
    init(lever text: String) throws(ValidationError) {
        do {
            self = try Self(vary: text)
        } catch {
            throw ValidationError(error.message.replacingOccurrences(of: "--vary", with: "--lever").replacingOccurrences(of: "path=", with: "NAME="))
        }
        lever = true
    }

    /// Parses a `--vary` argument: `path=from:to:step` (a grid axis), `path=from:to` (a range,
    /// for `--samples`) or `path=v1,v2,…` (the values listed). Only the syntax is checked here;
    /// `SweepSpec.problems` checks the rest.
    init(vary text: String) throws(ValidationError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("--vary '\(text)': no '='; expected \(Self.varyForms)")
        }
        let path = text[..<equals].trimmingCharacters(in: .whitespaces)
        let spec = text[text.index(after: equals)...]
        func numbers(_ parts: [Substring]) throws(ValidationError) -> [Double] {
            var values: [Double] = []
            for part in parts {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed), value.isFinite else {
                    throw ValidationError("--vary '\(text)': '\(trimmed)' is not a number; expected \(Self.varyForms)")
                }
                values.append(value)
            }
            return values
        }
        let colons = spec.split(separator: ":", omittingEmptySubsequences: false)
        if spec.contains(":") {
            guard !spec.contains(","), colons.count <= 3 else {
                throw ValidationError("--vary '\(text)': '\(spec)' is neither from:to:step nor from:to; expected \(Self.varyForms)")
            }
            let v = try numbers(colons)
            self.init(path: path, values: v.count == 3 ? .steps(from: v[0], to: v[1], step: v[2]) : .range(from: v[0], to: v[1]))
        } else {
            self.init(path: path, values: .list(try numbers(spec.split(separator: ",", omittingEmptySubsequences: false))))
        }
    }
}

extension Shard: ExpressibleByArgument {
    package init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index)
        else { return nil }
        self.init(index: index, count: count)
    }
}
