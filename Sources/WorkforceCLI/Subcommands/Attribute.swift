import ArgumentParser

extension WorkforceCommand {
    struct Attribute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the change in each officer target's measure between recruitment, leaving and promotion.",
            discussion: """
                Runs the 2³ combinations of each flow's group differences as in the scenario or at \
                parity, on common random numbers, and reports each flow's Shapley part, its \
                one-at-a-time part, the interaction remainder and the structural change (no group \
                differences at all). Writes attribution.csv and attribution.json to \
                <out>/<scenario>-attribution/.
                """)

        @OptionGroup var scenario: ScenarioOptions

        @Option(help: "Only this target (repeatable; default: every officer target).")
        var target: [String] = []

        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func run() throws { try Analysis.attribute(scenario, targets: target, engine, output) }
    }
}
