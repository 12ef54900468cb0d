import ArgumentParser
import WorkforceData

extension WorkforceCommand {
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estimate leaving, promotion and intake from annual snapshots of a force, as a scenario fragment.",
            discussion: """
                From two or more consecutive 31 March snapshots in Home Office tables (and leavers \
                and joiners by group when given), estimates promotion rates by rank and group (odds \
                relative to the largest group), leaving rates (with leavers given), and the intake's \
                size and make-up, with standard errors and shrinkage of small groups toward their \
                rank. Writes them as scenario YAML whose uncertain numbers are distributions, and \
                says what the snapshots cannot identify and what was assumed. See docs/data.md.
                """)

        @Argument(help: "Home Office tables (CSV); their rows are read together.")
        var tables: [String]

        @OptionGroup var options: TableOptions

        @Option(help: "The snapshot years, comma-separated and consecutive (default: every year of the force in the tables).")
        var years: String?

        @Option(help: "Leavers and joiners by group: CSV year,flow,rank,ethnicity,gender,count (year = the 31 March the year ends).")
        var flows: String?

        @Option(
            help: ArgumentHelp(
                "Annual leaving rate assumed where leavers are not given: a rate for every rank, or RANK=RATE (repeatable; default 0.06).",
                valueName: "rate"))
        var leavingRate: [String] = []

        @Option(help: ArgumentHelp(
            "How the force's size is set: flat (each rank held at its last headcount: establishment, intake fill, promotion by vacancy), "
                + "trend (as flat, growing by the force's mean annual change), rates (the estimated intake and promotion rates carried forward) or per-year=N (an intake of N a year).",
            valueName: "flat|trend|rates|per-year=N"))
        var size = ForceSize.flat

        @Flag(
            inversion: .prefixedNo,
            help: "Pool the intake ethnicity shares partly toward what the other forces of the tables suggest (empirical Bayes, docs/data.md; default on).")
        var poolIntake = true

        @Option(help: "The scenario fragment (YAML) to write.")
        var out: String

        @Option(help: "Also write every estimate as CSV here.")
        var estimates: String?

        func validate() throws {
            if let years, parsedYears == nil { throw ValidationError("--years '\(years)': expected years such as 2003,2004") }
        }

        var parsedYears: [Int]? {
            guard let years else { return nil }
            let values = years.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            return values.contains(nil) || values.isEmpty ? nil : values.map { $0! }.sorted()
        }

        func run() throws {
            try DataFrontend.calibrate(
                tables, options, years: parsedYears, flows: flows, leavingRates: leavingRate, size: size, poolIntake: poolIntake, out: out, estimates: estimates)
        }
    }
}
