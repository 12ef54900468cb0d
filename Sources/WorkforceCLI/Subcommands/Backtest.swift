import ArgumentParser

extension WorkforceCommand {
    struct Backtest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios from a past date and compare their projections with published figures.",
            discussion: """
                --observed is a CSV of date,measure,value (and optionally source); measures are \
                written like share(BAME in Sergeant) or count(All) (docs/data.md, "Measures"). For \
                each figure: the projected median, 50% and 90% intervals, whether the figure falls \
                inside, the error; then how many fell in each interval. Writes backtest.csv and \
                backtest.json to <out>/<scenario>/.
                """)

        @OptionGroup var scenarios: ScenarioOptions

        @Option(help: "The observed figures (CSV: date,measure,value[,source]).")
        var observed: String

        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if engine.expected { throw ValidationError("--expected gives one projection and no intervals; a backtest needs Monte Carlo replications.") }
        }

        func run() throws {
            try DataFrontend.backtest(scenarios, engine, output, observed: observed)
        }
    }
}
