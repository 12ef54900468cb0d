import Foundation
import Workforce
import WorkforceAnalysis
import WorkforceScenario

/// Writes a scenario's results folder: every file is written into a hidden temporary folder
/// that replaces the old results by rename only once all are complete, so a reader never sees a
/// partial set.
enum ResultWriter {
    /// What a run was: written to manifest.json.
    struct Manifest: Encodable {
        var schema = "workforce.manifest/1"
        var scenario: String
        var file: String
        var sha256: String
        var mode: String
        var seed: UInt64
        var replications: Int
        var threads: Int
        var version = Version.current
        var gslVersion = Engine.gslVersion
        var started: String
        var wallTimeSeconds: Double
        var initial: Initial?

        /// The initial headcount used (cell detail in initial.csv).
        struct Initial: Encodable {
            var total: Int
            var byRankAndGroup: [Count]
        }
        struct Count: Encodable {
            var rank, ethnicity, gender: String
            var headcount: Int
        }

        init(scenario: LoadedScenario, options: Engine.Options, wallTime: Double, startedAt: Date) {
            self.scenario = scenario.model.name
            file = scenario.file
            sha256 = scenario.sha256
            mode = options.expected ? "expected-value" : "monte-carlo"
            seed = options.seed
            replications = options.expected ? 1 : options.replications
            threads = options.threads
            let formatter = ISO8601DateFormatter()
            started = formatter.string(from: startedAt)
            wallTimeSeconds = (wallTime * 1000).rounded() / 1000
        }
    }

    /// `moving`: files already written elsewhere (streamed per-replication results) that join the folder.
    static func write(
        _ summary: Summary, model: Model, bounds: [Attainability.Bound], manifest: Manifest, to folder: String,
        moving: [(name: String, path: String)] = []
    ) throws {
        var manifest = manifest
        manifest.initial = initialTotals(model)
        var files: [(String, String)] = [
            ("projections.csv", projections(summary)),
            ("flows.csv", flows(summary)),
            ("targets.csv", targetsCSV(summary, model)),
            ("targets.json", try json(TargetsFile(summary, model, bounds: bounds))),
            ("initial.csv", initial(model)),
            ("manifest.json", try json(manifest)),
        ]
        files += try ReportFrontend.scenarioFiles(files, model: model)  // report.html, report.md, *.svg
        try AtomicWriter.replaceFolder(folder, with: files, moving: moving)
    }

    // MARK: CSV

    /// A number with fixed decimals; "NA" (as R and pandas read it) when undefined.
    static func number(_ x: Double, _ decimals: Int) -> String {
        x.isNaN ? "NA" : String(format: "%.\(decimals)f", x == 0 ? 0 : x)  // no "-0.000"
    }

    /// A CSV field, quoted when it needs to be.
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func csv(_ header: [String], _ rows: [[String]]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for row in rows { out += row.map(field).joined(separator: ",") + "\n" }
        return out
    }

    private static func quantiles(_ q: Quantiles, _ decimals: Int) -> [String] {
        [q.mean, q.p5, q.p25, q.p50, q.p75, q.p95].map { number($0, decimals) }
    }

    /// Means get 10 decimals (so two runs' means compare at 1e-9), quantiles 3 (headcounts) or
    /// 6 (shares).
    static func projections(_ summary: Summary) -> String {
        let stats = ["mean", "p5", "p25", "p50", "p75", "p95"]
        func stats10(_ q: Quantiles, _ decimals: Int) -> [String] { [number(q.mean, 10)] + quantiles(q, decimals).dropFirst() }
        return csv(
            ["date", "rank", "ethnicity", "gender"] + stats.map { "headcount_\($0)" } + stats.map { "share_\($0)" },
            summary.projections.map { row in
                [row.date.description, row.rank, row.ethnicity, row.gender] + stats10(row.headcount, 3) + stats10(row.share, 6)
            })
    }

    static func flows(_ summary: Summary) -> String {
        csv(
            ["year_end", "flow", "rank", "ethnicity", "gender", "mean", "p5", "p50", "p95"],
            summary.flows.map { row in
                [row.yearEnd.description, row.flow.name, row.rank, row.ethnicity, row.gender]
                    + [row.count.mean, row.count.p5, row.count.p50, row.count.p95].map { number($0, 3) }
            })
    }

    static func targetsCSV(_ summary: Summary, _ model: Model) -> String {
        csv(
            [
                "target", "share_of", "group", "ranks", "comparison", "threshold", "period_start", "date",
                "probability_met", "mean", "p5", "p50", "p95", "first_met_median", "first_met_most_likely_year",
                "probability_never_met", "denominator_excludes",
            ],
            summary.targets.map { t in
                let target = t.target
                // A year is "most likely" only if it is at least as likely as never meeting it.
                let mostLikely = t.firstMetByYear
                    .max { $0.probability < $1.probability || ($0.probability == $1.probability && $0.year > $1.year) }
                    .flatMap { $0.probability >= t.neverMet ? $0 : nil }
                return [
                    target.name, population(target.population), target.groupLabel, ranks(target, model).joined(separator: ";"),
                    target.comparison.rawValue, number(target.threshold, 6),
                    target.population == .officers ? "" : target.periodStart.description, target.date.description,
                    number(t.probability, 4), number(t.value.mean, 6), number(t.value.p5, 6), number(t.value.p50, 6),
                    number(t.value.p95, 6), t.medianFirstMet?.description ?? "never",
                    mostLikely.map { String($0.year) } ?? "never", number(t.neverMet, 4),
                    excluded(target, model).joined(separator: ";"),
                ]
            })
    }

    static func initial(_ model: Model) -> String {
        let d = model.dimensions
        var rows: [[String]] = []
        for r in d.ranks.indices {
            for e in d.ethnicities.indices {
                for g in d.genders.indices {
                    for s in 0..<d.maxService {
                        let n = model.initial[d.cell(r, d.group(e, g), s)]
                        if n > 0 { rows.append([d.ranks[r], d.ethnicities[e], d.genders[g], String(s), String(n)]) }
                    }
                }
            }
        }
        return csv(["rank", "ethnicity", "gender", "service", "headcount"], rows)
    }

    static func initialTotals(_ model: Model) -> Manifest.Initial {
        let d = model.dimensions
        var counts: [Manifest.Count] = []
        for r in d.ranks.indices {
            for e in d.ethnicities.indices {
                for g in d.genders.indices {
                    let q = d.group(e, g)
                    let n = (0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(r, q, $1)] }
                    counts.append(Manifest.Count(rank: d.ranks[r], ethnicity: d.ethnicities[e], gender: d.genders[g], headcount: n))
                }
            }
        }
        return Manifest.Initial(total: model.initial.reduce(0, +), byRankAndGroup: counts)
    }

    static func population(_ p: Target.Population) -> String {
        switch p {
        case .officers: "officers"
        case .recruits: "recruits"
        case .promotions: "promotions"
        }
    }

    /// The ethnicities and genders a target leaves out of its denominator.
    static func excluded(_ target: Target, _ model: Model) -> [String] {
        let d = model.dimensions
        return d.ethnicities.indices.filter { !target.denominator.ethnicities[$0] }.map { d.ethnicities[$0] }
            + d.genders.indices.filter { !target.denominator.genders[$0] }.map { d.genders[$0] }
    }

    static func ranks(_ target: Target, _ model: Model) -> [String] {
        model.dimensions.ranks.indices.filter { target.ranks[$0] }.map { model.dimensions.ranks[$0] }
    }

    // MARK: JSON

    /// targets.json: every target's verdict and the distribution of when it is first met.
    struct TargetsFile: Encodable {
        var schema = "workforce.targets/1"
        var scenario: String
        var replications: Int
        var mode: String
        var targets: [Entry]

        struct Entry: Encodable {
            var name: String
            var shareOf: String
            var group: String
            var ranks: [String]
            var comparison: String
            var threshold: Double
            var periodStart: String?
            var date: String
            var probabilityMet: Double
            var value: Stats
            var firstMet: FirstMet
            /// Categories left out of the share's denominator (e.g. "Not stated": the Home
            /// Office basis); empty when the share is of all officers, recruits or promotions.
            var denominatorExcludes: [String]
            /// The best reachable under the stated extremes (`Attainability`), when computed.
            var attainability: Attainable?
        }
        /// `Attainability.Bound`: the expected-value measure at the date under the extreme
        /// policy, whether that meets the threshold, and the first month it does.
        struct Attainable: Encodable {
            var best: Double?
            var attainable: Bool
            var earliest: String?
            var searchedUntil: String
            var expectedValueUnderScenario: Double?
            var statement: String
        }
        struct Stats: Encodable {
            var mean, p5, p25, p50, p75, p95: Double?
            init(_ q: Quantiles) {
                func v(_ x: Double) -> Double? { x.isNaN ? nil : x }
                (mean, p5, p25, p50, p75, p95) = (v(q.mean), v(q.p5), v(q.p25), v(q.p50), v(q.p75), v(q.p95))
            }
        }
        struct FirstMet: Encodable {
            var byYear: [Year]
            var never: Double
            var median: String?
        }
        struct Year: Encodable {
            var year: Int
            var probability: Double
            var cumulative: Double
        }

        init(_ summary: Summary, _ model: Model, bounds: [Attainability.Bound] = []) {
            scenario = model.name
            replications = summary.replications
            mode = summary.expected ? "expected-value" : "monte-carlo"
            targets = summary.targets.enumerated().map { i, t in
                var cumulative = 0.0
                let bound = i < bounds.count ? bounds[i] : nil
                return Entry(
                    name: t.target.name, shareOf: population(t.target.population), group: t.target.groupLabel,
                    ranks: ResultWriter.ranks(t.target, model), comparison: t.target.comparison.rawValue,
                    threshold: t.target.threshold,
                    periodStart: t.target.population == .officers ? nil : t.target.periodStart.description,
                    date: t.target.date.description, probabilityMet: t.probability, value: Stats(t.value),
                    firstMet: FirstMet(
                        byYear: t.firstMetByYear.map { year in
                            cumulative += year.probability
                            return Year(year: year.year, probability: year.probability, cumulative: cumulative)
                        },
                        never: t.neverMet, median: t.medianFirstMet?.description),
                    denominatorExcludes: excluded(t.target, model),
                    attainability: bound.map { b in
                        Attainable(
                            best: b.best.isNaN ? nil : b.best, attainable: b.attainable, earliest: b.earliest?.description,
                            searchedUntil: b.searchedUntil.description,
                            expectedValueUnderScenario: b.scenarioValue.isNaN ? nil : b.scenarioValue,
                            statement: Attainability.sentence(b))
                    })
            }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
