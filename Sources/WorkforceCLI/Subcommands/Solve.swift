import ArgumentParser
import Workforce
import WorkforceAnalysis
import Foundation
import WorkforceScenario

extension WorkforceCommand {
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the inputs at which targets are met with a given probability.",
            discussion: """
                With --vary: one input, one target. Bisection on common random numbers; P(met) is \
                assumed monotone in the input over the range. Reports the smallest value (largest, \
                when raising the input hurts) with its bisection bracket and Monte Carlo error, or \
                that the target cannot be met within the range. Writes <out>/<scenario>-solve/solve.json.

                With --lever NAME[=a:b]: a lever of the scenario (workforce levers), searched over \
                its range or a:b: with one lever and one target, as --vary (solve.json); several \
                --lever, each one axis, give the frontier below.

                With --lever (repeated): several inputs, one or more targets (all met together). \
                The first levers are laid on a grid of --slices values, the last is bisected at \
                each grid point: the frontier, the combination of least weighted change, and for \
                two levers the curve as an SVG chart. Writes <out>/<scenario>-frontier/ \
                (frontier.json, frontier.csv, frontier.svg).
                """)

        @OptionGroup var scenario: ScenarioOptions

        @Option(help: "The target's name, as in the scenario; with --lever, repeat it for several targets met together.")
        var target: [String] = []

        @Option(help: ArgumentHelp(
            "The input to vary, as a field path (as for --set); repeat it to move several fields together (all set to the same value).",
            valueName: "key.path"))
        var vary: [String] = []

        @Option(help: "With --lever: grid values per lever other than the last (default 9 for two levers, 5 for more).")
        var slices: Int?

        @Option(help: "The probability of meeting the target to reach.")
        var probability = 0.8

        @Option(help: ArgumentHelp("The range searched (default: 0 to twice the current value).", valueName: "a:b"))
        var range: String?

        @Option(help: "Stop when the bracket is this narrow (default: the range's width / 1000).")
        var tolerance: Double?

        @Option(help: ArgumentHelp(
            "Each trial value runs replications in batches (40, then 1.5 times more each time, up to --replications) and stops once its verdict against --probability is settled: a settled verdict is wrong with probability at most this (docs/analysis.md).",
            valueName: "rate"))
        var errorRate = 0.01

        @Flag(help: "Run every replication (--replications) at every trial value, without stopping when the verdict is settled.")
        var everyReplication = false

        var stopping: Stopping { everyReplication ? .everyReplication : .settled(errorRate: errorRate) }

        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard errorRate > 0 && errorRate < 1 else { throw ValidationError("--error-rate must be in (0, 1).") }
            guard !target.isEmpty else { throw ValidationError("Missing expected argument '--target <target>'.") }
            if let only = lever.first, lever.count == 1, target.count == 1, try MovedInput.Named.parse(only) != nil {
                guard vary.isEmpty else { throw ValidationError("--lever replaces --vary; give one or the other.") }
                guard probability > 0 && probability <= 1 else { throw ValidationError("--probability must be in (0, 1].") }
                if let range, parsedRange(range) == nil { throw ValidationError("--range \(range): expected a:b with finite numbers a < b, e.g. 0.3:0.6.") }
                if let tolerance, !(tolerance > 0) { throw ValidationError("--tolerance must be positive.") }
                return
            }
            if !lever.isEmpty {
                guard vary.isEmpty, range == nil else { throw ValidationError("--lever replaces --vary and --range; give one or the other.") }
                var moved: [String: String] = [:]
                for l in lever {
                    if try MovedInput.Named.parse(l) != nil { continue }  // a lever of the scenario: resolved when it is loaded
                    guard let parsed = Frontier.Lever.parse(l) else {
                        throw ValidationError("--lever '\(l)' must be [name=]path[+path]=a:b[*cost] with a < b and cost ≥ 0, e.g. 'promotion.Sergeant.odds[0].factor=0.5:1.5*2'.")
                    }
                    let range = parsed.lever.range
                    let ends = l[l.index(after: l.lastIndex(of: "=")!)...]  // what the user wrote: a:b[*cost]
                    guard range.lowerBound.isFinite, range.upperBound.isFinite, (range.upperBound - range.lowerBound).isFinite, parsed.lever.cost.isFinite else {
                        throw ValidationError("--lever '\(l)': \(ends) is not finite; expected a:b[*cost] with finite numbers a < b (and a finite cost).")
                    }
                    for path in parsed.paths {
                        if let other = moved.updateValue(l, forKey: path) {
                            throw ValidationError("--lever '\(l)' moves \(path), which --lever '\(other)' moves too; expected each field in one lever (join fields with + to move them together).")
                        }
                    }
                }
                if let slices, slices < 2 { throw ValidationError("--slices must be at least 2.") }
                if let slices, pow(Double(slices), Double(lever.count - 1)) > Double(SweepSpec.maxPoints) {
                    throw ValidationError("--slices \(slices) over \(lever.count - 1) grid lever\(lever.count == 2 ? "" : "s") gives more than \(SweepSpec.maxPoints) grid points; "
                        + "expected at most \(SweepSpec.maxPoints), the most a sweep may have (the grid is slices^(levers - 1)).")
                }
                if let tolerance, !(tolerance > 0) { throw ValidationError("--tolerance must be positive.") }
                guard probability > 0 && probability <= 1 else { throw ValidationError("--probability must be in (0, 1].") }
                return
            }
            guard target.count == 1 else { throw ValidationError("--vary solves for one --target; use --lever for several targets together.") }
            guard !vary.isEmpty else { throw ValidationError("Missing expected argument '--vary <key.path>' (or --lever).") }
            guard probability > 0 && probability <= 1 else { throw ValidationError("--probability must be in (0, 1].") }
            if let range, parsedRange(range) == nil { throw ValidationError("--range \(range): expected a:b with finite numbers a < b, e.g. 0.3:0.6.") }
            if let tolerance, !(tolerance > 0) { throw ValidationError("--tolerance must be positive.") }
        }

        func parsedRange(_ text: String) -> ClosedRange<Double>? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a < b, (b - a).isFinite else { return nil }
            return a...b
        }

        /// The `--lever`s: NAME[=a:b[*cost]] for a lever of the scenario, or a raw lever.
        var lever: [String] { scenario.levers }

        func run() throws {
            if let only = lever.first, lever.count == 1, target.count == 1, try MovedInput.Named.parse(only) != nil {
                // One lever of the scenario, one target: the bisection (solve.json), over the lever's range or --range.
                try Analysis.solve(
                    scenario, target: target[0], vary: [], lever: only, probability: probability, range: range.flatMap(parsedRange),
                    tolerance: tolerance, stopping: stopping, engine, output)
                return
            }
            if !lever.isEmpty {
                try Analysis.frontier(
                    scenario, targets: target, levers: lever, probability: probability,
                    slices: slices, tolerance: tolerance, stopping: stopping, engine, output)
                return
            }
            try Analysis.solve(
                scenario, target: target[0], vary: vary, probability: probability, range: range.flatMap(parsedRange),
                tolerance: tolerance, stopping: stopping, engine, output)
        }
    }
}
