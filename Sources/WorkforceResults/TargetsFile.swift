import WorkforceFormats
import Workforce
import WorkforceAnalysis

/// targets.json: every target's verdict and the distribution of when it is first met; targets.csv
/// is the same entries, one row each. Schema `workforce.targets/1`.
package struct TargetsFile: Codable, Sendable, Equatable {
    package var schema = "workforce.targets/1"
    package var scenario: String
    package var replications: Int
    package var mode: RunManifest.Mode
    package var targets: [Entry]

    package init(scenario: String, replications: Int, mode: RunManifest.Mode, targets: [Entry]) {
        (self.scenario, self.replications, self.mode, self.targets) = (scenario, replications, mode, targets)
    }

    /// Whose share a target measures.
    package enum ShareOf: String, Codable, Sendable {
        case officers, recruits, promotions

        package init(_ population: Target.Population) {
            switch population {
            case .officers: self = .officers
            case .recruits: self = .recruits
            case .promotions: self = .promotions
            }
        }
    }

    /// What a target asks, as every results file describes it (targets.json's entries, sweep.json's
    /// targets): the one description of a target outside the scenario.
    package struct Definition: Codable, Sendable, Hashable {
        package var name: String
        package var shareOf: ShareOf
        /// The group whose share is measured, by dimension.
        package var group: GroupName
        /// The ranks counted, lowest first.
        package var ranks: [String]
        package var comparison: Target.Comparison
        /// The threshold share, 0...1.
        package var threshold: Double
        /// For recruits and promotions, the first month of the period counted; nil for officers.
        package var periodStart: Month?
        /// The month it is judged at.
        package var date: Month
        /// Categories left out of the share's denominator (e.g. "Not stated": the Home Office
        /// basis); empty when the share is of all officers, recruits or promotions.
        package var denominatorExcludes: [String]

        package init(
            name: String, shareOf: ShareOf, group: GroupName, ranks: [String], comparison: Target.Comparison, threshold: Double,
            periodStart: Month?, date: Month, denominatorExcludes: [String]
        ) {
            (self.name, self.shareOf, self.group, self.ranks, self.comparison, self.threshold) = (name, shareOf, group, ranks, comparison, threshold)
            (self.periodStart, self.date, self.denominatorExcludes) = (periodStart, date, denominatorExcludes)
        }

        /// A scenario's target as the files describe it.
        package init(_ target: Target, _ model: Model) {
            self.init(
                name: target.name, shareOf: ShareOf(target.population), group: target.groupName, ranks: TargetsFile.ranks(target, model),
                comparison: target.comparison, threshold: target.threshold,
                periodStart: target.population == .officers ? nil : target.periodStart, date: target.date,
                denominatorExcludes: TargetsFile.excluded(target, model))
        }
    }

    /// A target's definition and its verdict; its JSON object holds the definition's keys beside
    /// the verdict's (`entry.name` reads the definition's).
    @dynamicMemberLookup
    package struct Entry: Codable, Sendable, Equatable {
        package var definition: Definition
        /// The fraction of replications meeting it at the date (NaN, written null, when none has
        /// the measure defined).
        package var probabilityMet: Double?
        /// The measure (a share, 0...1) at the date over replications; nil where undefined.
        package var value: Stats
        package var firstMet: FirstMet
        /// The best reachable under the stated extremes (`Attainability`), when computed.
        package var attainability: Attainable?

        package init(
            name: String, shareOf: ShareOf, group: GroupName, ranks: [String], comparison: Target.Comparison, threshold: Double,
            periodStart: Month?, date: Month, probabilityMet: Double?, value: Stats, firstMet: FirstMet,
            denominatorExcludes: [String], attainability: Attainable?
        ) {
            self.init(
                definition: Definition(
                    name: name, shareOf: shareOf, group: group, ranks: ranks, comparison: comparison, threshold: threshold,
                    periodStart: periodStart, date: date, denominatorExcludes: denominatorExcludes),
                probabilityMet: probabilityMet, value: value, firstMet: firstMet, attainability: attainability)
        }

        package init(definition: Definition, probabilityMet: Double?, value: Stats, firstMet: FirstMet, attainability: Attainable?) {
            (self.definition, self.probabilityMet, self.value, self.firstMet, self.attainability) = (definition, probabilityMet, value, firstMet, attainability)
        }

        package subscript<T>(dynamicMember path: WritableKeyPath<Definition, T>) -> T {
            get { definition[keyPath: path] }
            set { definition[keyPath: path] = newValue }
        }

        private enum CodingKeys: String, CodingKey { case probabilityMet, value, firstMet, attainability }

        package init(from decoder: Decoder) throws {
            definition = try Definition(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            probabilityMet = try c.decodeIfPresent(Double.self, forKey: .probabilityMet)
            value = try c.decode(Stats.self, forKey: .value)
            firstMet = try c.decode(FirstMet.self, forKey: .firstMet)
            attainability = try c.decodeIfPresent(Attainable.self, forKey: .attainability)
        }

        package func encode(to encoder: Encoder) throws {
            try definition.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(probabilityMet, forKey: .probabilityMet)
            try c.encode(value, forKey: .value)
            try c.encode(firstMet, forKey: .firstMet)
            try c.encodeIfPresent(attainability, forKey: .attainability)
        }

        /// The year most likely to be the first in which it is met, if that is at least as likely
        /// as never meeting it (the later year of a tie loses); nil for "never".
        package var mostLikelyFirstYear: Year? {
            firstMet.byYear
                .max { $0.probability < $1.probability || ($0.probability == $1.probability && $0.year > $1.year) }
                .flatMap { $0.probability >= firstMet.never ? $0 : nil }
        }
    }

    /// `Attainability.Bound`: the expected-value measure at the date under the extreme policy,
    /// whether that meets the threshold, and the first month it does.
    package struct Attainable: Codable, Sendable, Equatable {
        package var best: Double?
        package var attainable: Bool
        package var earliest: Month?
        package var searchedUntil: Month
        package var expectedValueUnderScenario: Double?
        /// The bound in words, as the report shows it: what the aim would need when `need` is
        /// there, else the bound under the extremes.
        package var statement: String
        /// What the aim would need on one of the scenario's own levers (`Needs`), when computed.
        package var need: Needs.Need?
    }

    /// Mean and quantiles over replications; nil where undefined.
    package struct Stats: Codable, Sendable, Equatable {
        package var mean, p5, p25, p50, p75, p95: Double?

        package init(_ q: Quantiles) {
            func v(_ x: Double) -> Double? { x.isNaN ? nil : x }
            (mean, p5, p25, p50, p75, p95) = (v(q.mean), v(q.p5), v(q.p25), v(q.p50), v(q.p75), v(q.p95))
        }
    }

    package struct FirstMet: Codable, Sendable, Equatable {
        /// Each year in which some replication first meets it, in order.
        package var byYear: [Year]
        /// The probability of never meeting it within the horizon.
        package var never: Double
        /// The median month of first meeting it; nil for "never".
        package var median: Month?
        /// What "first met" means after the target's date: met at every measurement of this many
        /// months, dated at their end (`Target.keptForMonths`; on or before the date, kept to the
        /// date). Nil only in files written before it was stated.
        package var keptForMonths: Int?

        package init(byYear: [Year], never: Double, median: Month?, keptForMonths: Int? = Target.keptForMonths) {
            (self.byYear, self.never, self.median, self.keptForMonths) = (byYear, never, median, keptForMonths)
        }
    }

    package struct Year: Codable, Sendable, Equatable {
        package var year: Int
        package var probability: Double
        /// The probability of having first met it by the end of this year.
        package var cumulative: Double

        package init(year: Int, probability: Double, cumulative: Double) {
            (self.year, self.probability, self.cumulative) = (year, probability, cumulative)
        }
    }

    /// The verdicts of a summarised run, with each target's attainability bound when `bounds`
    /// has one (in target order).
    package init(_ summary: Summary, _ model: Model, bounds: [Attainability.Bound] = []) {
        scenario = model.name
        replications = summary.replications
        mode = RunManifest.Mode(expected: summary.expected)
        targets = summary.targets.enumerated().map { i, t in
            var cumulative = 0.0
            let bound = i < bounds.count ? bounds[i] : nil
            return Entry(
                definition: Definition(t.target, model), probabilityMet: t.probability.isNaN ? nil : t.probability, value: Stats(t.value),
                firstMet: FirstMet(
                    byYear: t.firstMetByYear.map { year in
                        cumulative += year.probability
                        return Year(year: year.year, probability: year.probability, cumulative: cumulative)
                    },
                    never: t.neverMet, median: t.medianFirstMet),
                attainability: bound.map { b in
                    Attainable(
                        best: b.best.isNaN ? nil : b.best, attainable: b.attainable, earliest: b.earliest,
                        searchedUntil: b.searchedUntil, expectedValueUnderScenario: b.scenarioValue.isNaN ? nil : b.scenarioValue,
                        statement: Attainability.sentence(b), need: b.need)
                })
        }
    }

    /// The rank names a target counts, lowest first.
    package static func ranks(_ target: Target, _ model: Model) -> [String] {
        model.dimensions.ranks.indices.filter { target.ranks[$0] }.map { model.dimensions.ranks[$0] }
    }

    /// The ethnicities and genders a target leaves out of its denominator.
    package static func excluded(_ target: Target, _ model: Model) -> [String] {
        let d = model.dimensions
        return d.ethnicities.indices.filter { !target.denominator.ethnicities[$0] }.map { d.ethnicities[$0] }
            + d.genders.indices.filter { !target.denominator.genders[$0] }.map { d.genders[$0] }
    }

    /// targets.csv: one row per target, probabilities to 4 decimals and shares to 6 (`NA` where
    /// undefined); `ranks` and `denominator_excludes` joined by `;`.
    package var csv: String {
        func n(_ x: Double?, _ decimals: Int) -> String { CSVWriter.number(x ?? .nan, decimals) }
        return CSVWriter.table(
            [
                "target", "share_of", "group", "ranks", "comparison", "threshold", "period_start", "date",
                "probability_met", "mean", "p5", "p50", "p95", "first_met_median", "first_met_most_likely_year",
                "probability_never_met", "denominator_excludes",
            ],
            targets.map { t in
                [
                    t.name, t.shareOf.rawValue, t.group.words, t.ranks.joined(separator: ";"), t.comparison.rawValue, n(t.threshold, 6),
                    t.periodStart?.description ?? "", t.date.description, n(t.probabilityMet, 4), n(t.value.mean, 6),
                    n(t.value.p5, 6), n(t.value.p50, 6), n(t.value.p95, 6), t.firstMet.median?.description ?? "never",
                    t.mostLikelyFirstYear.map { String($0.year) } ?? "never", n(t.firstMet.never, 4),
                    t.denominatorExcludes.joined(separator: ";"),
                ]
            })
    }
}


