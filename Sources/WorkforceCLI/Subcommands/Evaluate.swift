import ArgumentParser
import WorkforceData

extension WorkforceCommand {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the import → calibrate → backtest workflow on every force of a set of tables.",
            discussion: """
                For each force in the tables: imports the last --train snapshot, calibrates on the \
                --train years, projects to 31 March of each --test year and compares with its \
                snapshot, each test year scored at its own horizon (years after the last training year). \
                Scores force headcount, force BAME and Black shares (Home Office basis: "Not \
                stated" left out), and rank headcount and shares for ranks with at least 20 \
                officers: 50% and 90% coverage, the median's mean absolute error divided by the \
                no-change forecast's (skill ratio), CRPS, and the PIT histogram. Prints the table \
                and writes figures.csv, summary.csv, evaluation.json, and a report page (report.html, \
                report.md, pit-<kind>.svg) to <out>/evaluate-<train>-to-<tests>/. See docs/data.md.
                """)

        @Argument(help: "Home Office tables (CSV); their rows are read together.")
        var tables: [String]

        @Option(help: "The training years, comma-separated and consecutive (at least two), e.g. 2003,2004.")
        var train: String

        @Option(help: "The test years (31 March), comma-separated, after the last training year, e.g. 2005 or 2005,2006,2008.")
        var test: String

        @Option(name: .customLong("force"), help: "Only these forces (repeatable; default: every force with all the years).")
        var forces: [String] = []

        @Option(help: "Replications per force.")
        var replications = 400

        @Option(help: "Master seed (every force's run uses it).")
        var seed: UInt64 = 1

        @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
        var threads: Int?

        @Option(
            help: ArgumentHelp(
                "Annual leaving rate assumed by the calibration: a rate for every rank, or RANK=RATE (repeatable; default 0.06).",
                valueName: "rate"))
        var leavingRate: [String] = []

        @Option(help: ArgumentHelp("How the calibration sets each force's size (as for calibrate).", valueName: "flat|trend|rates|per-year=N"))
        var size = ForceSize.flat

        @Flag(inversion: .prefixedNo, help: "Pool each force's intake ethnicity shares partly toward the other forces' (as for calibrate; default on).")
        var poolIntake = true

        @Option(help: "Results folder: writes <out>/evaluate-<train>-to-<tests>/.")
        var out = "Results"

        @Flag(help: "Print evaluation.json on stdout instead of the text table.")
        var json = false

        func validate() throws {
            guard let years = trainYears, years.count >= 2, zip(years, years.dropFirst()).allSatisfy({ $1 == $0 + 1 }) else {
                throw ValidationError("--train '\(train)': expected two or more consecutive years such as 2003,2004")
            }
            guard let tests = testYears, tests.first! > years.last!, zip(tests, tests.dropFirst()).allSatisfy({ $1 > $0 }) else {
                throw ValidationError("--test '\(test)': expected years after the last training year \(years.last!), such as \(years.last! + 1) or \(years.last! + 1),\(years.last! + 2)")
            }
            if replications < 2 { throw ValidationError("--replications must be at least 2 (intervals need replications).") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        var trainYears: [Int]? { Self.years(train) }
        var testYears: [Int]? { Self.years(test).map { Array(Set($0)).sorted() } }

        /// Comma-separated whole years, sorted; nil if any is not one.
        static func years(_ text: String) -> [Int]? {
            let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }  // checked: Int(String): nil when the text is not a whole number that fits
            return values.contains(nil) || values.isEmpty ? nil : values.map { $0! }.sorted()
        }

        func run() throws {
            try DataFrontend.evaluate(
                tables, train: trainYears!, test: testYears!, forces: forces, replications: replications, seed: seed,
                threads: threads, leavingRates: leavingRate, size: size, poolIntake: poolIntake, out: out, json: json)
        }
    }
}
