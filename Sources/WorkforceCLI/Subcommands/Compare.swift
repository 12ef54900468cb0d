import ArgumentParser

extension WorkforceCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare scenarios with the first on common random numbers: paired differences per target.",
            discussion: """
                Every scenario runs with the first one's seed and replications, so replication i of \
                each uses the same random streams for the same flows. Writes compare.csv and \
                compare.json to <out>/compare-<a>-vs-<b>.../.
                """)

        @OptionGroup var scenarios: ScenarioOptions
        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func run() throws { try Analysis.compare(scenarios, engine, output) }
    }
}
