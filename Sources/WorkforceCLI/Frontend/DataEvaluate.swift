import WorkforceFormats
import Foundation
import Workforce
import WorkforceResults
import WorkforceData
import WorkforceReport
import WorkforceScenario

extension DataFrontend {
    /// Reads Home Office tables together (e.g. one file per year): their rows in one table.
    static func readTables(_ paths: [String]) throws(InputError) -> HomeOfficeTable {
        try HomeOfficeTable(combining: paths.map { (path) throws(InputError) in try HomeOfficeTable(parsing: try read(path), file: path) })
    }

    /// The year-to-year spread of rank sizes, pooled over the rank-years of every force in
    /// `changes` (`HomeOfficeTable.rankChanges` over `years`) except `excluded` (leave-one-force-out
    /// when evaluating it).
    static func sizeVariation(
        _ all: [(force: String, year: Int, starts: [Double], ends: [Double])], years: [Int], excluding excluded: String? = nil
    ) -> SizeVariation {
        let kept = all.filter { $0.force != excluded }
        let forces = Set(kept.map(\.force)).count
        let what = "\(forces) force\(forces == 1 ? "" : "s")\(excluded.map { " (all but \($0))" } ?? ""), "
            + years.map(String.init).joined(separator: "→")
        var variation = SizeVariation(forceYears: kept.map { ($0.year, $0.starts, $0.ends) }, what: what)
        // Each force's officers (log) at every snapshot: the first year's start, then each year's end.
        var levels: [String: [Double]] = [:]
        for change in kept.sorted(by: { $0.year < $1.year }) {
            if levels[change.force] == nil { levels[change.force] = [log(change.starts.reduce(0, +))] }
            levels[change.force]!.append(log(change.ends.reduce(0, +)))
        }
        variation.levels = LevelVariation(levels: levels.keys.sorted().map { levels[$0]! }, what: "force sizes (log) of \(what)")
        return variation
    }

    /// The year-to-year variation of the intake size and of the make-up flows, pooled over the
    /// forces of `all` (`HomeOfficeTable.yearlyCalibrations` over `years`) except `excluded`.
    static func flowVariation(
        _ all: [(force: String, years: [Calibration])], years: [Int], excluding excluded: String? = nil
    ) -> (intake: YearToYearEstimate, makeUp: MakeUpVariation) {
        let kept = all.filter { $0.force != excluded }
        let what = "\(kept.count) force\(kept.count == 1 ? "" : "s")\(excluded.map { " (all but \($0))" } ?? ""), "
            + years.map(String.init).joined(separator: "→")
        return (
            YearToYearEstimate(intakes: kept.map { $0.years.map { ($0.intakePerYear, $0.intakePerYearSE) } }, what: what),
            MakeUpVariation(yearly: kept.map(\.years), what: what))
    }

    /// The partial pooling of intake ethnicity shares (`ethnicities`, the calibrated force's) over
    /// the force-years of `all` (`HomeOfficeTable.yearlyCalibrations` over `years`) except those of
    /// `excluded`. With no other force (a table of one force) it pools nothing and says so.
    static func intakePooling(
        _ all: [(force: String, years: [Calibration])], years: [Int], excluding excluded: String, ethnicities: [String]
    ) -> IntakePooling {
        let kept = all.filter { $0.force != excluded }
        return IntakePooling(
            units: kept.flatMap { $0.years.map(\.poolingUnit) }, names: ethnicities,
            what: "\(kept.count) force\(kept.count == 1 ? "" : "s") (all but \(excluded)), " + years.map(String.init).joined(separator: "→"))
    }

    /// `workforce evaluate`: for each force, the documented workflow (import the last training
    /// snapshot with the default service profile, calibrate on the training years with the default
    /// mapping, project to the test year) scored against the test snapshot; then the scores by kind
    /// of figure. Intermediate scenarios and initial CSVs go to a temporary folder, removed at the
    /// end; the outputs are written together into `<out>/evaluate-<train>-to-<test>/`.
    static func evaluate(
        _ paths: [String], train: [Int], test: [Int], forces wanted: [String], replications: Int, seed: UInt64, threads: Int?,
        leavingRates: [String], size: ForceSize, poolIntake: Bool, out: String, json: Bool
    ) throws {
        let name = "evaluate-\(train.map(String.init).joined(separator: "-"))-to-\(test.map(String.init).joined(separator: "-"))"
        let target = URL(fileURLWithPath: out).appendingPathComponent(name).path
        try OutputOwnership.checkPaths(outputs: [(target, "--out")], inputs: paths)
        do {
            try OutputOwnership.check(target, owner: .evaluate, writing: EvaluationFile.isOutput)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        let mapping = CategoryMapping.homeOffice
        let categories = Categories(mapping)
        let (table, forces, assumed) = try reporting { () throws(InputError) in
            let table = try readTables(paths)
            var unknown: [Diagnostic] = []
            let forces = wanted.isEmpty ? table.forces : wanted.compactMap { name in
                if let force = table.force(named: name) { return force }
                unknown.append(Diagnostic(file: "--force \(name)", message: "no such force in the tables; expected one of: \(table.forces.joined(separator: ", "))"))
                return nil
            }
            guard unknown.isEmpty else { throw InputError(unknown) }
            return (table, forces, try assumedLeaving(leavingRates, ranks: categories.ranks))
        }
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workforce-evaluate-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var scores: [ForecastScore] = []
        var skipped: [EvaluationFile.Skipped] = []
        var evaluated: [String] = []
        let changes = table.rankChanges(years: train, measure: .headcount, mapping: mapping, categories: categories)
        let yearly = table.yearlyCalibrations(years: train, measure: .headcount, mapping: mapping, categories: categories, assumedLeaving: assumed)
        let absent = test.filter { year in !table.rows.contains(where: { $0.year == year }) }
        guard absent.isEmpty else {
            // Nothing to score: the training years still calibrate (every force, and the estimates
            // pooled over them), and the command says what it needs.
            let calibrated = yearly.filter { force in forces.contains(force.force) }
            let (intake, makeUp) = flowVariation(yearly, years: train)
            let years = train.map(String.init).joined(separator: "→")
            Terminal.print("Calibrated \(calibrated.count) forces on \(years) (one-year calibrations of each pair of years, pooled):\n"
                + "  force size: \(sizeVariation(changes, years: train).source)\n  intake size: \(intake.source)\n"
                + "  intake ethnicity shares: \(makeUp.ethnicity.description)\n  intake gender shares: \(makeUp.gender.description)\n"
                + "  promotion: \(makeUp.promotion.description)\n  leaving: \(makeUp.leaving.description)")
            try reporting { () throws(InputError) in
                let missing = absent.map(String.init).joined(separator: ", ")
                throw InputError(file: paths.joined(separator: " + "), "no snapshot as at 31 March \(missing) in the tables: evaluate scores "
                    + "a forecast against each test year's table; expected a table for \(missing) (the training years \(years) are calibrated above)")
            }
            return
        }
        let progress = Progress(scenarios: ["evaluate"])
        for (index, force) in forces.enumerated() {
            progress.update(0, done: index, of: forces.count)
            let years = Set(table.rows.filter { $0.force == force }.map(\.year))
            let missing = (train + test).filter { !years.contains($0) }
            guard missing.isEmpty else {
                skipped.append(.init(force: force, reason: "no snapshot as at 31 March \(missing.map(String.init).joined(separator: ", "))"))
                continue
            }
            do {
                scores += try evaluateForce(
                    force, table: table, mapping: mapping, categories: categories, train: train, test: test,
                    replications: replications, seed: seed, threads: threads, assumedLeaving: assumed, size: size,
                    sizeVariation: sizeVariation(changes, years: train, excluding: force),
                    flowVariation: flowVariation(yearly, years: train, excluding: force),
                    pooling: poolIntake ? intakePooling(yearly, years: train, excluding: force, ethnicities: categories.ethnicities) : nil, folder: folder)
                evaluated.append(force)
            } catch {
                skipped.append(.init(force: force, reason: error.description))
            }
        }
        progress.finish()
        let file = EvaluationFile(
            tables: paths, train: train, test: test, replications: replications, seed: seed, forces: evaluated, skipped: skipped,
            scores: scores)
        do {
            try AtomicWriter.replaceFolder(target, owner: .evaluate, with: [
                ("figures.csv", file.figuresCSV), ("summary.csv", file.summaryCSV), ("evaluation.json", try ResultJSON.encode(file)),
            ] + file.report)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        Terminal.print(json ? try ResultJSON.encode(file) : file.text(folder: target))
    }

    /// A failure that keeps one force out of an evaluation (reported, the others go on).
    struct ForceFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// One force's figures, projected and scored.
    private static func evaluateForce(
        _ force: String, table: HomeOfficeTable, mapping: CategoryMapping, categories: Categories, train: [Int], test: [Int],
        replications: Int, seed: UInt64, threads: Int, assumedLeaving: [Double], size: ForceSize, sizeVariation: SizeVariation,
        flowVariation: (intake: YearToYearEstimate, makeUp: MakeUpVariation), pooling: IntakePooling?, folder: URL
    ) throws(ForceFailure) -> [ForecastScore] {
        do {
            let snapshots = try (train + test).map { (year) throws(InputError) in
                try table.snapshot(force: force, year: year, measure: .headcount, mapping: mapping, categories: categories)
            }
            let last = snapshots[train.count - 1]
            var calibration = Calibration(
                categories: categories, years: train, snapshots: snapshots.prefix(train.count).map(\.counts), assumedLeaving: assumedLeaving)
            calibration.size = size
            calibration.sizeVariation = sizeVariation
            (calibration.intakeVariation, calibration.makeUpVariation) = flowVariation
            if let pooling { calibration.poolIntake(pooling) }
            let slug = force.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            let initial = folder.appendingPathComponent("\(slug)-initial.csv")
            try Data(CSVWriter.initial(try last.initialRows(service: .metDecember2021)).utf8).write(to: initial)
            let seed = Evaluation.seed(seed, force: force)
            let text = Evaluation.scenario(
                name: slug, categories: categories, start: train.last!, end: test.last!, replications: replications, seed: seed,
                initialCSV: initial.lastPathComponent, fragment: calibration.fragment(source: "\(force), headcount"))
            let scenarioFile = folder.appendingPathComponent("\(slug).yaml").path
            let scenario = try ScenarioLoader.parse(text: text, file: scenarioFile, directory: folder.path)
            let d = scenario.model.dimensions
            // Every figure at every test year, each at its own horizon (years after the last snapshot).
            var scored: [(figure: (kind: FigureKind, measure: Measure), horizon: Int, observation: Observation)] = []
            for (year, observed) in zip(test, snapshots.dropFirst(train.count)) {
                let date = Month(year: year, month: 3)
                for figure in try Evaluation.figures(d, last: last.counts) {
                    let value = figure.measure.value(counts: observed.counts, d)
                    guard !value.isNaN, !figure.measure.value(counts: last.counts, d).isNaN else { continue }
                    scored.append((figure, year - train.last!, Observation(date: date, measure: figure.measure, value: value, source: "HO \(year)")))
                }
            }
            let observations = scored.map(\.observation)
            let model = try Backtest.model(scenario.model, observations: observations, file: scenarioFile)
            let result = try Engine.run(model, Engine.Options(replications: replications, seed: seed, threads: threads))
            let draws = Backtest.draws(result, observations: observations)
            return zip(scored, draws).map { item, draws in
                ForecastScore(
                    kind: item.figure.kind, force: force, observation: item.observation,
                    noChange: item.figure.measure.value(counts: last.counts, d), draws: draws, horizon: item.horizon)
            }
        } catch let error as InputError {
            throw ForceFailure(description: error.diagnostics.map(\.description).joined(separator: "; "))
        } catch let error as MeasureError {
            throw ForceFailure(description: error.message)
        } catch {
            throw ForceFailure(description: "\(error)")
        }
    }
}

extension EvaluationFile {
    /// Each kind's scores as printed: n, 90% and 50% coverage, skill ratio, CRPS, CRPS ratio.
    private var scoreCells: [[String]] {
        func percent(_ x: Double?) -> String { x.map { Terminal.percent($0, 0) } ?? "n/a" }
        func ratio(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "n/a" }
        func size(_ x: Double?, _ kind: FigureKind) -> String {
            guard let x else { return "n/a" }
            return kind == .forceShare || kind == .rankShare ? String(format: "%.3f pp", x * 100) : String(format: "%.1f", x)
        }
        func error(_ x: Double?) -> String { x.map { String(format: "±%.0f", $0 * 100) } ?? "" }
        return summary.map { s in
            [String(s.coverage.observations), percent(s.coverage.rate90) + " " + error(s.coverage90SE), percent(s.coverage.rate50) + " " + error(s.coverage50SE),
             ratio(s.skillRatio), size(s.crps, s.kind), ratio(s.crpsRatio), "\(s.pointMasses) (\(s.pointMassesMissed) missed)"]
        }
    }

    private static let scoreHeader = [
        "n", "in the 90% interval", "in the 50% interval", "median's error ÷ no-change error", "CRPS", "CRPS ÷ no-change error",
        "point masses (left out of n)",
    ]

    /// The PIT histogram of each kind, as bars of `#` against the count a uniform PIT gives.
    private var histograms: String {
        summary.map { s in
            let expected = Double(s.coverage.observations) / Double(SkillSummary.pitBins)
            var out = "\(name(s)) (uniform: \(String(format: "%.1f", expected)) per bin)\n"
            for (i, count) in s.pitHistogram.enumerated() {
                let lo = Double(i) / Double(SkillSummary.pitBins)
                out += String(format: "  %.1f–%.1f %4d ", lo, lo + 1 / Double(SkillSummary.pitBins), count)
                    + String(repeating: "#", count: count) + "\n"
            }
            return out
        }.joined(separator: "\n")
    }

    /// Whether a file in an evaluation's folder is one `evaluate` writes (its CSVs, JSON and page).
    static func isOutput(_ name: String) -> Bool {
        ["figures.csv", "summary.csv", "evaluation.json", "report.html", "report.md"].contains(name) || name.hasSuffix(".svg")
    }

    /// report.html, report.md and the PIT histograms (pit-<kind>.svg).
    var report: [(name: String, contents: String)] {
        EvaluationReport.files(
            title: "Forecast skill: train \(train.map(String.init).joined(separator: ", ")), test \(tests)",
            lede: "The documented workflow (import the last training snapshot, calibrate on the training years, project to the "
                + "test year) run for \(forces.count) forces of \(tables.joined(separator: ", ")), \(replications) replications each, seed "
                + "\(seed), and scored against the test year's figures. Skill ratio: the median's mean absolute error ÷ that of the "
                + "no-change forecast (the figure as at 31 March \(train.last!)); below 1 beats it. CRPS in officers (headcounts) or "
                + "percentage points (shares).",
            header: Self.scoreHeader,
            kinds: zip(summary, scoreCells).map { EvaluationReport.Kind(name: name($0), scores: $1, pitHistogram: $0.pitHistogram) },
            notes: skipped.map { "Not evaluated: \($0.force): \($0.reason)" },
            footer: "Written by workforce \(Version.current) (workforce evaluate) with summary.csv, figures.csv and evaluation.json; "
                + "every number is as in those files.")
    }

    /// The test years as printed: "2005" or "2005, 2006".
    private var tests: String { test.map(String.init).joined(separator: ", ") }

    /// A summary's row name: its kind, and its horizon when there are several ("force share, 2 years").
    private func name(_ s: Summary) -> String {
        test.count == 1 ? s.kind.rawValue : "\(s.kind.rawValue), \(s.horizon) year\(s.horizon == 1 ? "" : "s")"
    }

    /// The printed table.
    func text(folder: String) -> String {
        var out = "Evaluated \(forces.count) forces: train \(train.map(String.init).joined(separator: ", ")) → test \(tests), "
            + "\(replications) replications, seed \(seed) → \(Terminal.shown(folder))\n"
        out += "| figure | " + Self.scoreHeader.joined(separator: " | ") + " |\n|---" + String(repeating: "|---", count: Self.scoreHeader.count) + "|\n"
        out += zip(summary, scoreCells).map { "| \(name($0)) | " + $1.joined(separator: " | ") + " |\n" }.joined()
        for s in skipped { out += "not evaluated: \(s.force): \(s.reason)\n" }
        return out + histograms
    }
}
