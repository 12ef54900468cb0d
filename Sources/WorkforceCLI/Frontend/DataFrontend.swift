import WorkforceFormats
import ArgumentParser
import Foundation
import Workforce
import WorkforceData
import struct WorkforceReport.Figure
import WorkforceScenario

/// What `import` and `calibrate` do: read the files, call `WorkforceData`, write the outputs and
/// print what was done. Data problems are printed as `file:line:column: field: message` and exit
/// with `CommandFailure.Kind.invalidInput` before anything is written.
enum DataFrontend {
    /// Where an import's years of service come from.
    enum ServiceSource: String, ExpressibleByArgument, CaseIterable {
        /// `ServiceProfile.metDecember2021`.
        case `default`
        /// The `--scenario`'s own initial workforce, rank by rank.
        case scenario
    }

    // MARK: Import

    static func importTable(_ path: String, _ options: TableOptions, year: Int, service: ServiceSource, out: String) throws {
        try OutputOwnership.checkPaths(outputs: [(out, "--out")], inputs: [path] + (options.scenario.map { [$0] } ?? []))
        let (snapshot, profile, rows) = try reporting { () throws(InputError) in
            let table = try HomeOfficeTable(parsing: try read(path), file: path)
            let (mapping, categories, scenario) = try mapping(options)
            if service == .scenario && scenario == nil {
                throw InputError(file: "--service", "--service scenario needs --scenario; expected a scenario to take the profile from")
            }
            let snapshot = try table.snapshot(
                force: options.force, year: year, measure: options.count, mapping: mapping, categories: categories,
                workerType: options.workerType)
            let profile = scenario.flatMap { service == .scenario ? ServiceProfile(scenario: $0.model, file: $0.file) : nil }
                ?? .metDecember2021
            let rows = try snapshot.initialRows(service: profile)
            let total = rows.reduce(0) { $0 + $1.headcount }
            guard total <= Limits.officers else {
                throw InputError(file: path, "\(options.force) has \(total) officers in \(year); expected at most \(Limits.officers), "
                    + "the most a scenario can hold (docs/scenario-format.md, Limits)")
            }
            return (snapshot, profile, rows)
        }
        try write([(out, CSVWriter.initial(rows))])
        Terminal.print(importReport(snapshot, source: path, service: profile, rows: rows, out: out))
    }

    /// What an import read, kept, dropped and wrote.
    static func importReport(_ s: ForceSnapshot, source: String, service: ServiceProfile, rows: [InitialRow], out: String) -> String {
        let written = rows.reduce(0) { $0 + $1.headcount }
        var text = "\(s.force)\(s.code.isEmpty ? "" : " (\(s.code))"), 31 March \(s.year), \(s.measure.rawValue), from \(source)\n"
        text += "  rows read: \(s.rows) (\(s.suppressedCells) cells '-' read as 0)\n"
        text += "  officers in the table: \(count(s.tableTotal)); kept: \(count(s.total)); written: \(count(Double(written)))"
        text += s.measure == .fte ? " (rounded per rank)\n" : "\n"
        text += s.dropped.isEmpty ? "  dropped: nothing\n" : "  dropped:\n"
        for d in s.dropped {
            text += "    \(d.dimension) '\(d.label)': \(d.reason.rawValue): \(d.rows) rows, \(count(d.officers)) officers\n"
        }
        text += "  by rank (table → kept): " + s.byRankLabel.map { "\($0.label) \(count($0.table)) → \(count($0.kept))" }.joined(separator: ", ") + "\n"
        text += "  categories: ranks \(s.categories.ranks.joined(separator: ", ")); ethnicities \(s.categories.ethnicities.joined(separator: ", ")); "
            + "genders \(s.categories.genders.joined(separator: ", "))\n"
        text += "  years of service (not in the table): \(service.source)\n"
        text += "  wrote \(rows.count) rows to \(out)"
        return text
    }

    // MARK: Calibrate

    static func calibrate(
        _ paths: [String], _ options: TableOptions, years wanted: [Int]?, flows flowsPath: String?, leavingRates: [String],
        size: ForceSize, poolIntake: Bool, out: String, estimates: String?
    ) throws {
        try OutputOwnership.checkPaths(
            outputs: [(out, "--out")] + (estimates.map { [($0, "--estimates")] } ?? []),
            inputs: paths + [flowsPath, options.scenario].compactMap { $0 })
        for option in leavingRates {
            let rate = option.split(separator: "=", maxSplits: 1).last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard let rate, (0..<1).contains(rate) else {
                throw CommandFailure(.usage, "--leaving-rate \(option): expected an annual rate from 0 to below 1, or RANK=RATE")
            }
        }
        let (calibration, source) = try reporting { () throws(InputError) in
            try calibrated(
                try readTables(paths), paths: paths, options, mapping: try mapping(options), years: wanted,
                flows: try flowsPath.map { (path) throws(InputError) in (path, try read(path)) }, leavingRates: leavingRates, size: size,
                poolIntake: poolIntake)
        }
        let fragment = try checkedFragment(calibration, source: source)
        try write([(out, fragment)] + (estimates.map { [($0, calibration.estimatesCSV())] } ?? []))
        Terminal.print(calibrationReport(calibration, source: source, out: out, estimates: estimates))
    }

    /// What calibrate computes from the table read from `paths` (one or more files) and the flows
    /// file's text, reading and writing nothing: the calibration of `options.force` and where it
    /// came from. Also what the `calibrate` fuzz target runs whole (`FuzzEntry`).
    static func calibrated(
        _ table: HomeOfficeTable, paths: [String], _ options: TableOptions, mapping: (CategoryMapping, Categories?, LoadedScenario?),
        years wanted: [Int]?, flows flowsFile: (path: String, text: String)?, leavingRates: [String], size: ForceSize, poolIntake: Bool
    ) throws(InputError) -> (Calibration, String) {
        let (mapping, categories, _) = mapping
        guard let force = table.force(named: options.force) else {
            throw InputError(file: paths[0], "no force '\(options.force)' in the table; expected one of: \(table.forces.joined(separator: ", "))")
        }
        let years = wanted ?? Set(table.rows.filter { $0.force == force }.map(\.year)).sorted()
        guard years.count >= 2, zip(years, years.dropFirst()).allSatisfy({ $1 == $0 + 1 }) else {
            throw InputError(file: paths[0], "snapshots as at \(years.map(String.init).joined(separator: ", ")); "
                + "expected two or more consecutive years (use --years)")
        }
        let snapshots = try years.map { (year) throws(InputError) in
            try table.snapshot(force: force, year: year, measure: options.count, mapping: mapping, categories: categories,
                               workerType: options.workerType)
        }
        var flows: [Int: ObservedFlows] = [:]
        if let (flowsPath, flowsText) = flowsFile {
            flows = try ObservedFlows.read(flowsText, file: flowsPath, mapping: mapping, categories: snapshots[0].categories)
            let outside = flows.keys.filter { !years.dropFirst().contains($0) }.sorted()
            guard outside.isEmpty else {
                throw InputError(file: flowsPath, "flows for the year ending 31 March \(outside.map(String.init).joined(separator: ", ")); "
                    + "expected years ending at a snapshot after the first (\(years.dropFirst().map(String.init).joined(separator: ", ")))")
            }
        }
        var calibration = Calibration(
            categories: snapshots[0].categories, years: years, snapshots: snapshots.map(\.counts), flows: flows,
            assumedLeaving: try assumedLeaving(leavingRates, ranks: snapshots[0].categories.ranks))
        calibration.size = size
        calibration.sizeVariation = sizeVariation(
            table.rankChanges(years: years, measure: options.count, mapping: mapping, categories: categories, workerType: options.workerType),
            years: years)
        let yearly = table.yearlyCalibrations(
            years: years, measure: options.count, mapping: mapping, categories: categories,
            assumedLeaving: calibration.assumedLeaving, workerType: options.workerType)
        (calibration.intakeVariation, calibration.makeUpVariation) = flowVariation(yearly, years: years)
        if poolIntake { calibration.poolIntake(intakePooling(yearly, years: years, excluding: force, ethnicities: calibration.categories.ethnicities)) }
        return (calibration, "\(paths.joined(separator: " + ")) (\(force), \(options.count.rawValue))")
    }

    /// The calibration's scenario fragment, refused (exit 70) when it holds a number that is not
    /// finite: every number written must be one a scenario accepts (comments aside).
    static func checkedFragment(_ calibration: Calibration, source: String) throws(CommandFailure) -> String {
        let fragment = calibration.fragment(source: source)
        let code = fragment.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#") ? "" : $0.components(separatedBy: " #")[0] }.joined(separator: "\n")
        if let bad = code.range(of: #"(?<![A-Za-z_])(-?inf|nan|NA)(?![A-Za-z_])"#, options: .regularExpression) {
            let line = code[..<bad.lowerBound].filter { $0 == "\n" }.count
            let text = fragment.split(separator: "\n", omittingEmptySubsequences: false)[line].trimmingCharacters(in: .whitespaces)
            throw CommandFailure(.runFailed, "\(source): the calibration gave '\(code[bad])', not a finite number, in line \(line + 1) of the fragment "
                + "(\(text)); nothing was written")
        }
        return fragment
    }

    /// The annual leaving rate assumed for each rank where leavers are not given: 0.06 by default
    /// (data/README.md: England and Wales officers left at 5.1–6.3% a year by group in
    /// 2007/08–2019/20 [S] and 6.2–6.6% in 2022–24 [S2/S]), `--leaving-rate R` for every rank, or
    /// `--leaving-rate RANK=R` for one (later wins).
    static func assumedLeaving(_ options: [String], ranks: [String]) throws(InputError) -> [Double] {
        var rates = Array(repeating: 0.06, count: ranks.count)
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let rank = parts.count == 2 ? ranks.firstIndex(of: parts[0]) : nil
            guard let rate = Double(parts.last ?? ""), (0..<1).contains(rate), parts.count == 1 || rank != nil else {
                throw InputError(file: "--leaving-rate \(option)",
                    "expected an annual rate from 0 to below 1, or RANK=RATE with RANK one of: \(ranks.joined(separator: ", "))")
            }
            if let rank { rates[rank] = rate } else { rates = rates.map { _ in rate } }
        }
        return rates
    }

    static func calibrationReport(_ c: Calibration, source: String, out: String, estimates: String?) -> String {
        let k = c.categories
        var text = "Calibrated from \(source), 31 March \(c.years.map(String.init).joined(separator: " → "))\n"
        text += "What the data identify, and the assumptions that fill the gaps:\n"
        for line in c.identification { text += "  - \(line)\n" }
        for note in c.notes { text += "  note: \(note)\n" }
        text += "Promotion (shrunk annual probability; odds relative to \(k.groupName(c.reference))):\n"
        for r in 1..<max(1, k.ranks.count) {
            let table = c.promotion[r - 1]
            text += "  into \(k.ranks[r]): pooled \(percent(table.prior.mean)), prior worth \(count(table.prior.strength)) officers\n"
            for q in 0..<k.groupCount where table.groups[q].exposure > 0 {
                let rate = table.groups[q], odds = c.odds(rank: r, group: q)
                text += "    \(k.groupName(q)): \(count(rate.events)) of \(count(rate.exposure)) → \(percent(rate.value)) (se \(percent(rate.se)))"
                text += q == c.reference ? " reference\n" : ", odds \(String(format: "%.2f", odds.factor)) (×÷ \(String(format: "%.2f", exp(odds.logSE))))\n"
            }
        }
        if let leaving = c.leaving {
            text += "Leaving (shrunk annual probability):\n"
            for (r, rank) in k.ranks.enumerated() {
                text += "  \(rank): " + (0..<k.groupCount).filter { leaving[r].groups[$0].exposure > 0 }.map {
                    "\(k.groupName($0)) \(percent(leaving[r].groups[$0].value))"
                }.joined(separator: ", ") + "\n"
            }
        }
        text += "Intake: \(count(c.intakePerYear)) a year" + (c.intakePerYearSE > 0 ? " (se \(count(c.intakePerYearSE)))" : "") + "; "
            + zip(k.ethnicities, c.intakeEthnicity).map { "\($0) \(percent($1.value))" }.joined(separator: ", ") + "; "
            + zip(k.genders, c.intakeGender).map { "\($0) \(percent($1.value))" }.joined(separator: ", ") + "\n"
        text += "Wrote the scenario fragment to \(out)" + (estimates.map { " and the estimates to \($0)" } ?? "")
        return text
    }

    // MARK: Shared

    /// The mapping (defaults and `--map` overrides) and the categories: the `--scenario`'s
    /// dimensions when given (with the loaded scenario), else the mapping's own.
    static func mapping(_ options: TableOptions) throws(InputError) -> (CategoryMapping, Categories?, LoadedScenario?) {
        var mapping = CategoryMapping.homeOffice
        var problems: [Diagnostic] = []
        for override in options.mapping {
            do {
                try mapping.apply(override)
            } catch {
                problems.append(Diagnostic(file: "--map", message: error.description))
            }
        }
        guard problems.isEmpty else { throw InputError(problems) }
        guard let path = options.scenario else { return (mapping, nil, nil) }
        do {
            let scenario = try ScenarioLoader.load(path: path)
            let d = scenario.model.dimensions
            return (mapping, Categories(ranks: d.ranks, ethnicities: d.ethnicities, genders: d.genders), scenario)
        } catch {
            throw InputError(error.diagnostics)
        }
    }

    /// A file's text (UTF-8).
    static func read(_ path: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: Array(data), as: UTF8.self) else {
            throw InputError(file: path, "cannot read the file; expected a UTF-8 text file")
        }
        return text
    }

    /// Runs `body`; data problems are printed with a count and end the command with exit code 65.
    static func reporting<T>(_ body: () throws(InputError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            let n = error.diagnostics.count
            throw CommandFailure(.invalidInput, error.description + "\n\(n) problem\(n == 1 ? "" : "s"); nothing was written.")
        }
    }

    /// Writes the files of one output set together (`AtomicWriter.replaceFiles`); a failure
    /// is a `CommandFailure.Kind.cannotWrite` naming the path and the reason.
    static func write(_ files: [(path: String, contents: String)]) throws {
        do {
            try AtomicWriter.replaceFiles(files.map { ($0.path, Data($0.contents.utf8)) })
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
    }

    /// A count with thousands separators, to one decimal when it is not whole: `12,345`, `3.5`
    /// (the report's formatter, `Figure.count(upTo:)`).
    static func count(_ x: Double) -> String { Figure(x).count(upTo: 1) }

    static func percent(_ x: Double) -> String { Terminal.percent(x, x < 0.1 ? 2 : 1) }
}
