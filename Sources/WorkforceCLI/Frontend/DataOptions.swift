import ArgumentParser
import WorkforceData

extension HomeOfficeTable.Measure: ExpressibleByArgument {}

/// `flat`, `rates` or `per-year=N` (`ForceSize.init(argument:)`).
extension ForceSize: ExpressibleByArgument {}

/// How `import` and `calibrate` read a Home Office table: which force, which total, and how
/// its labels become categories.
struct TableOptions: ParsableArguments {
    @Option(help: "The force: its name in the table's Force Name column (case and spacing do not matter), or its geo code.")
    var force: String

    @Option(help: "Which total to read: headcount or fte (whole numbers are kept per rank: FTE is rounded by the largest-remainder rule).")
    var count: HomeOfficeTable.Measure = .headcount

    @Option(
        name: .customLong("map"),
        help: ArgumentHelp(
            "Override the label mapping (repeatable; later wins), e.g. --map 'ethnicity:Not stated=-' (drop) or --map 'rank:Chief Officer=Senior'.",
            valueName: "dimension:label=category"))
    var mapping: [String] = []

    @Option(help: "Map onto this scenario's dimensions (its categories and rank order); labels mapping elsewhere are dropped and reported.")
    var scenario: String?

    @Option(help: "The worker type read (when the table has a Worker type column).")
    var workerType = "Police Officer"
}
