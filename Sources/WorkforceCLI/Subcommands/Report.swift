import ArgumentParser

extension WorkforceCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a comparison report from existing results folders.",
            discussion: """
                Reads the files `workforce run` wrote into each folder (and sensitivity.csv, \
                attribution.csv, sweep.csv or frontier.json where a folder has them) and writes report.html, \
                report.md and each chart as an .svg into --out: the scenarios' targets side by side, \
                their fan charts overlaid, and the tornado, attribution, sweep and frontier charts. Nothing is \
                run. (Every `workforce run` already writes its own report.html into its folder.)
                """)

        @Argument(help: "Results folders, e.g. Results/met-action-plan Results/met-retention.")
        var folders: [String]

        @Option(help: "Folder to write the comparison report into: replaced whole when empty or an earlier report's, else refused (exit 73).")
        var out = "Results/comparison"

        func run() throws {
            try ReportFrontend.compare(folders, out: out)
        }
    }
}
