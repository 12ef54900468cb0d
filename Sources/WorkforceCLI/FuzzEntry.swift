import WorkforceFormats
import ArgumentParser
import Foundation
import WorkforceData
import WorkforceScenario

/// Not API: what the libFuzzer targets in `Fuzz/` run (issue 20): the data commands' whole
/// computation in process, reading and writing no files, and the option parsing of `solve` and
/// `sweep`. Any input must end as a result or a located error, never a trap or a hang.
package enum FuzzEntry {
    /// `workforce calibrate T1 [T2 [T3]] --force F` with intake pooling (F: the tables' first
    /// force): the tables read together (duplicate cells refused), the calibration, its checked
    /// fragment and estimates; then evaluate's data path for up to three forces, each left out of
    /// the pooled estimates in turn (size, flow variation and intake pooling, applied to its own
    /// calibration), up to where evaluate would run the engine.
    package static func calibrate(tables texts: [String]) {
        guard !texts.isEmpty, texts.count <= 3 else { return }
        let table: HomeOfficeTable
        do {
            table = try HomeOfficeTable(combining: texts.enumerated().map { (i, text) throws(InputError) in
                try HomeOfficeTable(parsing: text, file: "t\(i).csv")
            })
        } catch {
            return
        }
        guard let force = table.forces.first, let options = try? TableOptions.parse(["--force", force]) else { return }
        let paths = texts.indices.map { "t\($0).csv" }
        if let (calibration, source) = try? DataFrontend.calibrated(
            table, paths: paths, options, mapping: (.homeOffice, nil, nil), years: nil, flows: nil, leavingRates: [], size: .flat,
            poolIntake: true)
        {
            _ = try? DataFrontend.checkedFragment(calibration, source: source)
            _ = calibration.estimatesCSV()
        }
        let categories = Categories(CategoryMapping.homeOffice)
        let train = Array(table.years.prefix(2))
        guard train.count == 2, train[1] == train[0] + 1 else { return }
        let assumed = Array(repeating: 0.06, count: categories.ranks.count)
        let changes = table.rankChanges(years: train, measure: .headcount, mapping: .homeOffice, categories: categories)
        let yearly = table.yearlyCalibrations(years: train, measure: .headcount, mapping: .homeOffice, categories: categories, assumedLeaving: assumed)
        for force in table.forces.prefix(3) {
            _ = DataFrontend.sizeVariation(changes, years: train, excluding: force)
            _ = DataFrontend.flowVariation(yearly, years: train, excluding: force)
            let pooling = DataFrontend.intakePooling(yearly, years: train, excluding: force, ethnicities: categories.ethnicities)
            if var own = yearly.first(where: { $0.force == force })?.years.first {
                own.poolIntake(pooling)
                _ = own.fragment(source: force)
            }
        }
    }

    /// `workforce solve …` or `workforce sweep …` with these arguments (after the subcommand and
    /// a scenario path): parsed and validated as the command line is; a sweep's `--vary` design
    /// built as the sweep would build it (never run).
    package static func options(_ arguments: [String]) {
        guard let command = try? WorkforceCommand.parseAsRoot(arguments) else { return }
        guard let sweep = command as? WorkforceCommand.Sweep, !sweep.vary.isEmpty,
              let parameters = try? sweep.vary.map(SweepSpec.Parameter.init(vary:))
        else { return }
        let spec = SweepSpec(parameters: parameters, samples: sweep.samples)
        guard spec.problems.isEmpty else { return }
        _ = try? SweepDesign(spec, seed: sweep.engine.seed ?? 1)
    }
}
