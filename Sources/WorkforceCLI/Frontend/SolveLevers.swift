import ArgumentParser
import Workforce
import WorkforceAnalysis
import WorkforceScenario

/// What a solve or a frontier moves, resolved against the scenario: a lever of its `levers:`
/// section, or field paths set to one value together (`--vary`, a raw `--lever`).
struct MovedInput {
    /// The field paths moved, as written (for solve.json's `vary` and messages).
    var paths: [String]
    /// The scenario's lever, when one is moved; nil for raw paths.
    var lever: Lever?
    /// The frontier's view: name, range searched, current value, cost per unit.
    var frontier: Frontier.Lever

    /// The scenario with this input at `value`, from the document parsed once: the lever set, or
    /// each path assigned (keeping its variation), after the `--set` overrides.
    static func variant(
        _ document: ScenarioDocument, overrides: [String], _ moved: [(MovedInput, Double)]
    ) throws -> LoadedScenario {
        var settings: [LeverSetting] = []
        var assignments: [FieldAssignment] = []
        for (input, value) in moved {
            if let lever = input.lever {
                settings.append(LeverSetting(lever: lever.name, value: value))
            } else {
                // checked: paths were parsed when the input was resolved
                assignments += input.paths.map { FieldAssignment(path: FieldPath($0)!, value: value) }
            }
        }
        do {
            return try document.load(overrides: overrides, settings: settings, assignments: assignments)
        } catch {
            throw Frontend.invalid(error.diagnostics)
        }
    }

    /// A `--lever` that names a lever of the scenario: `NAME`, `NAME=a:b` or `NAME=a:b*cost`
    /// (NAME an identifier: no `.`, `[` or `+`); nil for a raw lever `[name=]path[+path]=a:b[*cost]`.
    struct Named {
        var name: String
        var range: ClosedRange<Double>?
        var cost: Double?

        /// Throws when `text` names a lever but its range or cost is malformed.
        static func parse(_ text: String) throws(ValidationError) -> Named? {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard Lever.isIdentifier(name), parts.count == 1 || !parts[1].contains("=") else { return nil }
            guard parts.count == 2 else { return Named(name: name) }
            let expected = "expected NAME, NAME=a:b or NAME=a:b*cost with finite numbers a < b and cost ≥ 0"
            var spec = parts[1]
            var cost: Double?
            if let star = spec.firstIndex(of: "*") {
                guard let c = Double(spec[spec.index(after: star)...]), c >= 0, c.isFinite else {
                    throw ValidationError("--lever '\(text)': the cost is not a number ≥ 0; \(expected).")
                }
                cost = c
                spec = spec[..<star]
            }
            let ends = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard ends.count == 2, let a = Double(ends[0]), let b = Double(ends[1]), a < b, (b - a).isFinite else {
                throw ValidationError("--lever '\(text)': '\(spec)' is not a range a:b; \(expected).")
            }
            return Named(name: name, range: a...b, cost: cost)
        }
    }

    /// Resolves `--lever` texts (named or raw) and `--vary` paths against the scenario; every
    /// problem (an unknown lever, a range outside the lever's, a path that holds no number) is
    /// reported at once (exit 65).
    static func resolve(_ texts: [String], _ document: ScenarioDocument, _ base: LoadedScenario) throws -> [MovedInput] {
        var problems: [String] = []
        var inputs: [MovedInput] = []
        var levers: [Lever]?
        for text in texts {
            if let named = try Named.parse(text) {
                if levers == nil {
                    do { levers = try document.levers } catch { throw Frontend.invalid(error.diagnostics) }
                }
                guard let lever = levers?.first(where: { $0.name == named.name }) else {
                    let names = levers?.map(\.name) ?? []
                    problems.append("--lever '\(text)': \(base.file) has no lever '\(named.name)'; "
                        + (names.isEmpty ? "expected a levers section (docs/scenario-format.md#levers) or [name=]path[+path]=a:b[*cost]"
                            : "expected one of: \(names.joined(separator: ", "))"))
                    continue
                }
                let range = named.range ?? lever.range
                guard lever.range.contains(range.lowerBound), lever.range.contains(range.upperBound) else {
                    problems.append("--lever '\(text)': \(range.lowerBound):\(range.upperBound) goes outside the lever's range "
                        + "\(lever.range.lowerBound):\(lever.range.upperBound); expected a range within it")
                    continue
                }
                inputs.append(MovedInput(
                    paths: lever.paths.map(\.description), lever: lever,
                    frontier: Frontier.Lever(name: lever.name, range: range, current: lever.current, cost: named.cost ?? lever.costPerUnit ?? 1)))
            } else if let parsed = Frontier.Lever.parse(text) {
                var lever = parsed.lever
                if let path = parsed.paths.first(where: { FieldPath($0) == nil }) {
                    problems.append("--lever '\(text)': malformed path '\(path)'; expected a field path as --set writes it")
                    continue
                }
                // Changes are measured from the value in the scenario (its mean, if uncertain).
                if let spec = base.model.parameters.first(where: { $0.path == parsed.paths[0] }) {
                    lever.current = spec.distribution.mean(in: spec.range)
                } else {
                    problems.append("\(base.file): \(parsed.paths[0]) is not a number in the scenario; a lever must name a field that holds one (as for --set)")
                }
                inputs.append(MovedInput(paths: parsed.paths, lever: nil, frontier: lever))
            } else {
                problems.append("--lever '\(text)' must be NAME[=a:b[*cost]] (a lever of the scenario) or [name=]path[+path]=a:b[*cost]")
            }
        }
        guard problems.isEmpty else { throw CommandFailure(.invalidInput, problems.joined(separator: "\n")) }
        return inputs
    }
}
