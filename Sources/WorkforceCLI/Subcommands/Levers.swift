import ArgumentParser
import Foundation
import WorkforceResults
import WorkforceScenario

extension WorkforceCommand {
    struct Levers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a scenario's levers and every numeric input with its current value.",
            discussion: """
                The levers are the scenario's levers section (docs/scenario-format.md#levers): \
                set one with --lever NAME=VALUE in run, validate, compare, sensitivity, attribute \
                and backtest, or give it a range in sweep and solve. The inputs are every number \
                in the scenario with its field path, for --set, --vary and a levers section.
                """)

        @Argument(help: "The scenario file (.yaml, .yml, .json).")
        var file: String

        @Flag(help: "Print the levers and inputs as JSON on stdout instead of the text.")
        var json = false

        func run() throws {
            let document: ScenarioDocument
            let levers: [Lever]
            do {
                document = try ScenarioLoader.document(path: file)
                levers = try document.levers
            } catch {
                throw CommandFailure(.invalidInput, error.diagnostics.map(\.description).joined(separator: "\n")
                    + "\n\(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s") in \(file); nothing was listed.")
            }
            let listing = LeverListing(file: file, levers: levers, inputs: document.inputs)
            if json {
                print(try ResultJSON.encode(listing), terminator: "")
            } else {
                print(listing.text, terminator: "")
            }
        }
    }
}

/// What `workforce levers` prints: the scenario's levers, then every numeric input.
struct LeverListing: Encodable {
    var file: String
    var levers: [Lever]
    var inputs: [ScenarioInput]

    /// A value as the lever's unit shows it: 40%, 1.15×, 780 officers.
    static func shown(_ value: Double, _ unit: LeverUnit) -> String {
        switch unit {
        case .share: "\(number(value * 100))%"
        case .rate: "\(number(value * 100))% a year"
        case .multiplier: "\(number(value))×"
        case .count: "\(number(value)) officers"
        case .number: number(value)
        }
    }

    /// A range's lower end or a step as the unit shows it, without the noun a count's upper end carries.
    static func bare(_ value: Double, _ unit: LeverUnit) -> String {
        unit == .count ? number(value) : shown(value, unit)
    }

    /// At most 6 significant digits (`%g`: whole numbers without `.0`).
    static func number(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    var text: String {
        var out = ""
        if levers.isEmpty {
            out += "\(file): no levers (add a levers: section, docs/scenario-format.md#levers)\n"
        } else {
            out += "Levers of \(file) (set with --lever NAME=VALUE):\n"
            for lever in levers {
                let cost = lever.costPerUnit.map { ", cost \(Self.number($0)) per unit" } ?? ""
                out += "  \(lever.name): \(lever.label)\n"
                out += "    now \(Self.shown(lever.current, lever.unit)); from \(Self.bare(lever.range.lowerBound, lever.unit)) to "
                    + "\(Self.shown(lever.range.upperBound, lever.unit)) in steps of \(Self.bare(lever.step, lever.unit))\(cost)"
                    + (lever.mode == .scale ? "; scales what is written" : "") + "\n"
                for path in lever.paths { out += "    \(path)\n" }
            }
        }
        out += "\nInputs (\(inputs.count); set with --set PATH=VALUE, or vary with --vary):\n"
        let width = inputs.map(\.path.description.count).max() ?? 0
        for input in inputs {
            let path = input.path.description
            out += "  \(path)\(String(repeating: " ", count: width - path.count))  \(Self.number(input.current))"
                + (input.distribution.map { "  (mean of \($0))" } ?? "") + "\n"
        }
        return out
    }
}
