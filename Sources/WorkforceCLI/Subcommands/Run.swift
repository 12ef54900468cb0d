import ArgumentParser

extension WorkforceCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and write their results.",
            discussion: """
                Writes projections.csv, flows.csv, targets.csv, targets.json, initial.csv, \
                manifest.json, results.xlsx (the same figures as a workbook) and the report \
                (report.html, summary.html, report.md, each chart as .svg) to \
                <out>/<scenario>/ (or <out>/<scenario>-expected/ with --expected). \
                Scenarios run in parallel, and so do replications.
                """)

        @OptionGroup var scenarios: ScenarioOptions
        @OptionGroup var engine: EngineOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Skip the attainability bounds (one expected-value run per distinct extreme after the run; docs/analysis.md): targets.json and the report then have none.")
        var noBounds = false

        func run() throws {
            try Frontend.run(scenarios, engine, output, bounds: !noBounds)
        }
    }
}
