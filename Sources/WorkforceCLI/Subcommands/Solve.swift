import ArgumentParser

extension WorkforceCommand {
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the value of one input at which a target is met with a given probability.",
            discussion: """
                Bisection on common random numbers; P(met) is assumed monotone in the input over \
                the range. Reports the smallest value (largest, when raising the input hurts) with \
                its bisection bracket and Monte Carlo error, or that the target cannot be met within \
                the range. Writes <out>/<scenario>-solve/solve.json.
                """)

        @OptionGroup var scenario: ScenarioOptions

        @Option(help: "The target's name, as in the scenario.")
        var target: String

        @Option(help: ArgumentHelp(
            "The input to vary, as a field path (as for --set); repeat it to move several fields together (all set to the same value).",
            valueName: "key.path"))
        var vary: [String] = []

        @Option(help: "The probability of meeting the target to reach.")
        var probability = 0.8

        @Option(help: ArgumentHelp("The range searched (default: 0 to twice the current value).", valueName: "a:b"))
        var range: String?

        @Option(help: "Stop when the bracket is this narrow (default: the range's width / 1000).")
        var tolerance: Double?

        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !vary.isEmpty else { throw ValidationError("Missing expected argument '--vary <key.path>'.") }
            guard probability > 0 && probability <= 1 else { throw ValidationError("--probability must be in (0, 1].") }
            if let range, parsedRange(range) == nil { throw ValidationError("--range must be a:b with a < b, e.g. 0.3:0.6.") }
            if let tolerance, !(tolerance > 0) { throw ValidationError("--tolerance must be positive.") }
        }

        func parsedRange(_ text: String) -> ClosedRange<Double>? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a < b else { return nil }
            return a...b
        }

        func run() throws {
            try Analysis.solve(
                scenario, target: target, vary: vary, probability: probability, range: range.flatMap(parsedRange),
                tolerance: tolerance, engine, output)
        }
    }
}
