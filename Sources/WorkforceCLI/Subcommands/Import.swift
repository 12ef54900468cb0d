import ArgumentParser

extension WorkforceCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a force's officers in a Home Office workforce table into an initial-workforce CSV.",
            discussion: """
                Reads the HO police workforce open-data ethnicity table (CSV), selects a force and a \
                31 March, maps its rank, ethnicity and gender labels onto categories and writes \
                rank,ethnicity,gender,service,headcount rows for a scenario's initial: csv. The \
                table has no years of service: each rank is spread over service bands by a profile \
                (--service). Reports what it dropped or could not map, with counts. See docs/data.md.
                """)

        @Argument(help: "The Home Office table (CSV).")
        var table: String

        @OptionGroup var options: TableOptions

        @Option(help: "The as-at date: a year (31 March of it), or YYYY-03.")
        var date: String

        @Option(help: "Years of service: default (the documented by-rank profile) or scenario (the --scenario's initial workforce).")
        var service: DataFrontend.ServiceSource = .default

        @Option(help: "The CSV file to write.")
        var out: String

        func validate() throws {
            guard year != nil else { throw ValidationError("--date '\(date)': expected a year such as 2003, or 2003-03 (the tables are as at 31 March)") }
        }

        /// The year of `--date`: `YYYY` or `YYYY-03` (the tables are as at 31 March).
        var year: Int? {
            let parts = date.split(separator: "-")
            guard parts.count <= 2, parts[0].count == 4, let year = Int(parts[0]), parts.count == 1 || parts[1] == "03" else { return nil }
            return year
        }

        func run() throws {
            try DataFrontend.importTable(table, options, year: year!, service: service, out: out)
        }
    }
}
