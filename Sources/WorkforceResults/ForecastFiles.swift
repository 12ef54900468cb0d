import Workforce
import WorkforceData
import WorkforceFormats
import WorkforceScenario

// The files `workforce backtest` and `workforce evaluate` write, both ways: the JSON is the
// encoded value, the CSVs are rendered from it; the printed tables and pages are made in the CLI
// and the report from the same values.

/// A backtest's results: backtest.json (schema `workforce.backtest/1`), and the CSV and text
/// made from the same values.
/// Read back with `ResultJSON.decode(BacktestFile.self, text, file: name, keys: .declared)`.
package struct BacktestFile: Codable, Sendable, Equatable {
    package var schema = "workforce.backtest/1"
    package var scenario: String
    package var file: String
    package var sha256: String
    package var observedFile: String
    package var start: Month
    package var horizon: Month
    package var replications: Int
    package var seed: UInt64
    package var rows: [Row]
    package var coverage: CoverageSummary

    /// Declared (read back with `ResultJSON.decode(_:_:file:keys: .declared)`): `in_50` and its
    /// kin cannot be made from property names both ways.
    enum CodingKeys: String, CodingKey {
        case schema, scenario, file, sha256, start, horizon, replications, seed, rows, coverage
        case observedFile = "observed_file"
    }

    package struct Row: Codable, Sendable, Equatable {
        package var date: Month
        package var measure: String
        package var source: String
        package var observed: Double
        package var projected: TargetsFile.Stats
        package var in50: Bool
        package var in90: Bool
        package var error: Double?
        package var pit: Double?

        enum CodingKeys: String, CodingKey {
            case date, measure, source, observed, projected, error, pit
            case in50 = "in_50", in90 = "in_90"
        }

        /// An observed figure and its projection.
        package init(_ o: Observation, _ c: Backtest.Comparison) {
            func defined(_ x: Double) -> Double? { x.isNaN ? nil : x }
            (date, measure, source, observed) = (o.date, o.measure.text, o.source, o.value)
            (projected, in50, in90, error, pit) = (.init(c.projected), c.in50, c.in90, defined(c.error), defined(c.pit))
        }
    }

    package struct CoverageSummary: Codable, Sendable, Equatable {
        package var observations: Int
        package var in50: Int
        package var in90: Int
        package var rate50: Double?
        package var rate90: Double?
        package var nominal50 = 0.5
        package var nominal90 = 0.9

        enum CodingKeys: String, CodingKey {
            case observations
            case in50 = "in_50", in90 = "in_90", rate50 = "rate_50", rate90 = "rate_90"
            case nominal50 = "nominal_50", nominal90 = "nominal_90"
        }
    }

    package init(scenario: LoadedScenario, model: Model, observedFile: String, observations: [Observation], comparisons: [Backtest.Comparison]) {
        self.scenario = model.name
        file = scenario.file
        sha256 = scenario.sha256
        self.observedFile = observedFile
        start = model.timeline.start
        horizon = model.timeline.horizon
        replications = model.timeline.replications
        seed = model.timeline.seed
        func defined(_ x: Double) -> Double? { x.isNaN ? nil : x }
        rows = zip(observations, comparisons).map(Row.init)
        let coverage = Backtest.Coverage(comparisons)
        self.coverage = CoverageSummary(
            observations: coverage.observations, in50: coverage.in50, in90: coverage.in90,
            rate50: defined(coverage.rate50), rate90: defined(coverage.rate90))
    }

    /// backtest.csv: one row per observed figure (columns in docs/data.md).
    package var csv: String {
        func number(_ x: Double?) -> String { x.map { CSVWriter.number($0, 6) } ?? "NA" }
        return CSVWriter.table(
            ["date", "measure", "source", "observed", "mean", "p5", "p25", "p50", "p75", "p95", "in_50", "in_90", "error", "pit"],
            rows.map { r in
                [r.date.description, r.measure, r.source, number(r.observed)]
                    + [r.projected.mean, r.projected.p5, r.projected.p25, r.projected.p50, r.projected.p75, r.projected.p95].map(number)
                    + [String(r.in50), String(r.in90), number(r.error), number(r.pit)]
            })
    }
}

/// An evaluation's results: evaluation.json (schema `workforce.evaluation/1`), and the CSVs,
/// page and printed table made from the same values.
/// Read back with `ResultJSON.decode(EvaluationFile.self, text, file: name, keys: .declared)`.
package struct EvaluationFile: Codable, Sendable, Equatable {
    package var schema = "workforce.evaluation/2"
    package var tables: [String]
    package var train: [Int]
    /// The test years; each figure's horizon is its year less the last training year.
    package var test: [Int]
    package var replications: Int
    package var seed: UInt64
    package var forces: [String]
    package var skipped: [Skipped]
    package var summary: [Summary]
    package var figures: [Figure]

    package struct Skipped: Codable, Sendable, Equatable {
        package var force: String
        package var reason: String

        package init(force: String, reason: String) {
            self.force = force
            self.reason = reason
        }
    }

    /// One kind of figure's scores; `coverage` as in backtest.json.
    package struct Summary: Codable, Sendable, Equatable {
        package var kind: FigureKind
        /// Years after the last training snapshot.
        package var horizon: Int
        package var coverage: BacktestFile.CoverageSummary
        package var medianMAE: Double?
        package var noChangeMAE: Double?
        package var skillRatio: Double?
        package var crps: Double?
        package var crpsRatio: Double?
        package var pitHistogram: [Int]
        /// Figures whose 90% band is a point, left out of `coverage`, and how many of them missed.
        package var pointMasses: Int
        package var pointMassesMissed: Int
        /// The coverages' Monte Carlo standard errors (finite replications) and sampling standard
        /// errors (finite figures): `SkillSummary`.
        package var coverage50MCError: Double?
        package var coverage90MCError: Double?
        package var coverage50SE: Double?
        package var coverage90SE: Double?

        enum CodingKeys: String, CodingKey {
            case kind, horizon, coverage, crps
            case medianMAE = "median_mae", noChangeMAE = "no_change_mae", skillRatio = "skill_ratio"
            case crpsRatio = "crps_ratio", pitHistogram = "pit_histogram"
            case pointMasses = "point_masses", pointMassesMissed = "point_masses_missed"
            case coverage50MCError = "coverage_50_mc_error", coverage90MCError = "coverage_90_mc_error"
            case coverage50SE = "coverage_50_se", coverage90SE = "coverage_90_se"
        }
    }

    /// One force's figure: the backtest row (observed, projected, intervals, error, PIT), the
    /// no-change forecast and the CRPS.
    package struct Figure: Codable, Sendable, Equatable {
        package var force: String
        package var kind: FigureKind
        package var horizon: Int
        package var noChange: Double
        package var crps: Double?
        package var backtest: BacktestFile.Row

        enum CodingKeys: String, CodingKey {
            case force, kind, horizon, crps, backtest
            case noChange = "no_change"
        }
    }

    package init(tables: [String], train: [Int], test: [Int], replications: Int, seed: UInt64, forces: [String], skipped: [Skipped], scores: [ForecastScore]) {
        self.tables = tables
        self.train = train
        self.test = test
        self.replications = replications
        self.seed = seed
        self.forces = forces
        self.skipped = skipped
        func defined(_ x: Double) -> Double? { x.isNaN ? nil : x }
        summary = test.map { $0 - train.last! }.flatMap { horizon in FigureKind.allCases.map { (kind: $0, horizon: horizon) } }.map { kind, horizon in
            let s = SkillSummary(kind: kind, horizon: horizon, scores: scores)
            return Summary(
                kind: kind, horizon: horizon,
                coverage: .init(observations: s.figures, in50: s.in50, in90: s.in90, rate50: defined(s.coverage50), rate90: defined(s.coverage90)),
                medianMAE: defined(s.medianMAE), noChangeMAE: defined(s.noChangeMAE),
                skillRatio: defined(s.skillRatio), crps: defined(s.crps), crpsRatio: defined(s.crpsRatio), pitHistogram: s.pitHistogram,
                pointMasses: s.pointMasses, pointMassesMissed: s.pointMassesMissed,
                coverage50MCError: defined(s.coverage50MCError), coverage90MCError: defined(s.coverage90MCError),
                coverage50SE: defined(s.coverage50SE), coverage90SE: defined(s.coverage90SE))
        }
        figures = scores.map { s in
            Figure(force: s.force, kind: s.kind, horizon: s.horizon, noChange: s.noChange, crps: defined(s.crps), backtest: .init(s.observation, s.comparison))
        }
    }

    static func number(_ x: Double?) -> String { x.map { CSVWriter.number($0, 6) } ?? "NA" }

    /// figures.csv: one row per force × figure.
    package var figuresCSV: String {
        CSVWriter.table(
            ["force", "kind", "measure", "observed", "no_change", "mean", "p5", "p25", "p50", "p75", "p95", "in_50", "in_90", "pit", "crps", "horizon"],
            figures.map { f in
                let b = f.backtest, p = b.projected
                return [f.force, f.kind.rawValue, b.measure, Self.number(b.observed), Self.number(f.noChange)]
                    + [p.mean, p.p5, p.p25, p.p50, p.p75, p.p95].map(Self.number)
                    + [String(b.in50), String(b.in90), Self.number(b.pit), Self.number(f.crps), String(f.horizon)]
            })
    }

    /// summary.csv: one row per kind of figure, with the PIT histogram's counts in `pit_1` … `pit_10`.
    package var summaryCSV: String {
        CSVWriter.table(
            ["kind", "figures", "in_50", "in_90", "coverage_50", "coverage_90", "median_mae", "no_change_mae", "skill_ratio", "crps", "crps_ratio"]
                + (1...SkillSummary.pitBins).map { "pit_\($0)" }
                + ["point_masses", "point_masses_missed", "coverage_50_mc_error", "coverage_90_mc_error", "coverage_50_se", "coverage_90_se", "horizon"],
            summary.map { s in
                [s.kind.rawValue, String(s.coverage.observations), String(s.coverage.in50), String(s.coverage.in90)]
                    + [s.coverage.rate50, s.coverage.rate90, s.medianMAE, s.noChangeMAE, s.skillRatio, s.crps, s.crpsRatio].map(Self.number)
                    + s.pitHistogram.map(String.init)
                    + [String(s.pointMasses), String(s.pointMassesMissed)]
                    + [s.coverage50MCError, s.coverage90MCError, s.coverage50SE, s.coverage90SE].map(Self.number) + [String(s.horizon)]
            })
    }
}
