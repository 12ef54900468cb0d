import ArgumentParser
import WorkforceAnalysis

extension Sensitivity.Method: ExpressibleByArgument {}

extension WorkforceCommand {
    struct Sensitivity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move each input down and up, one at a time, and rank inputs by their effect on each target.",
            discussion: """
                All runs share the baseline's random numbers. Writes sensitivity.csv and \
                sensitivity.json (a tornado table) to <out>/<scenario>-sensitivity/.
                """)

        @OptionGroup var scenario: ScenarioOptions

        @Option(help: "relative: scale each input by 1 ∓ --change; percentiles: fix uncertain inputs at their 5th/95th percentiles.")
        var method: WorkforceAnalysis.Sensitivity.Method = .relative

        @Option(help: "The relative change.")
        var change = 0.1

        @Option(name: .customLong("only"), help: ArgumentHelp("Only inputs whose field path starts with this (repeatable).", valueName: "path-prefix"))
        var only: [String] = []

        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard change > 0 && change < 1 else { throw ValidationError("--change must be in (0, 1).") }
        }

        func run() throws { try Analysis.sensitivity(scenario, method: method, change: change, only: only, engine, output) }
    }
}
