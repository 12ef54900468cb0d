/// The validated model of a workforce: everything the engine needs, and nothing
/// about files. A `Model` is built by `WorkforceScenario` from a scenario file
/// (or by hand in tests); every index in it is already checked against its
/// `Dimensions`, so the engine can trust it.
///
/// Conventions used throughout:
/// - Ranks are ordered lowest first (index 0 is the entry rank).
/// - A *group* is one ethnicity × gender pair, indexed `ethnicity * genders + gender`.
/// - A *cell* is rank × group × years of service, see `Dimensions.cell(_:_:_:)`.
/// - Rates are *annual probabilities* unless a name says otherwise.
public struct Model: Sendable {
    public var name: String
    public var description: String
    /// The scenario in words for readers ("Met action plan, as published (2022)"): page titles,
    /// the summary's question, comparison columns and the terminal say it; nil: they say `name`,
    /// which stays the identifier (result files, chart ids). One line, `Model.titleLength`
    /// characters.
    public var title: String?
    /// The length of a title, in characters.
    public static let titleLength = 3...90
    public var dimensions: Dimensions
    public var timeline: Timeline
    /// Every number that may be uncertain. Other parts of the model refer to
    /// these by `Parameter` index; each replication draws one value for each.
    public var parameters: [ParameterSpec]
    /// Headcount per cell at the start date, `dimensions.cellCount` entries.
    public var initial: [Int]
    public var leaving: Leaving
    /// Transfers out to other forces: annual probabilities in the same form as `leaving`, drawn
    /// after it each step and recorded apart (`Flow.transfersOut`); nil when the scenario has none.
    public var transfersOut: Leaving?
    /// The establishment (funded headcount) of each rank that has one, by rank index.
    public var establishment: [Int: Dated<Parameter>]
    /// A factor multiplying every rank's establishment (a force-level change common to all ranks,
    /// drawn once per replication and varying year to year if so written); nil: 1.
    public var establishmentScale: Parameter?
    /// Promotion into each rank above the lowest, by the rank promoted *into*.
    public var promotion: [Int: Promotion]
    public var intakes: [Intake]
    public var interventions: [Intervention]
    public var targets: [Target]

    public init(
        name: String, description: String = "", dimensions: Dimensions, timeline: Timeline,
        parameters: [ParameterSpec], initial: [Int], leaving: Leaving, transfersOut: Leaving? = nil,
        establishment: [Int: Dated<Parameter>] = [:], promotion: [Int: Promotion] = [:],
        intakes: [Intake] = [], interventions: [Intervention] = [], targets: [Target] = [], establishmentScale: Parameter? = nil
    ) {
        self.name = name
        self.establishmentScale = establishmentScale
        self.description = description
        self.dimensions = dimensions
        self.timeline = timeline
        self.parameters = parameters
        self.initial = initial
        self.leaving = leaving
        self.transfersOut = transfersOut
        self.establishment = establishment
        self.promotion = promotion
        self.intakes = intakes
        self.interventions = interventions
        self.targets = targets
    }
}

// MARK: - Dimensions

/// The categories a workforce is counted by.
public struct Dimensions: Sendable, Hashable {
    /// Rank names, lowest first.
    public var ranks: [String]
    public var ethnicities: [String]
    public var genders: [String]
    /// Years of service run 0 ..< `maxService`; an officer reaching `maxService` leaves.
    public var maxService: Int
    /// Named sets of ethnicity or gender categories, e.g. `BAME = Black + Asian + Mixed + Other`.
    public var aggregates: [Aggregate]
    /// Named sets of ranks, e.g. `Senior = Inspector + Chief Inspector`: usable wherever a rank
    /// list is, and summarised (projected, fanned) like a rank.
    public var rankAggregates: [RankAggregate] = []

    public init(ranks: [String], ethnicities: [String], genders: [String], maxService: Int, aggregates: [Aggregate] = []) {
        self.ranks = ranks
        self.ethnicities = ethnicities
        self.genders = genders
        self.maxService = maxService
        self.aggregates = aggregates
    }

    public var groupCount: Int { ethnicities.count * genders.count }
    public var cellCount: Int { ranks.count * groupCount * maxService }

    /// The group index of an ethnicity × gender pair.
    @inlinable public func group(_ ethnicity: Int, _ gender: Int) -> Int { ethnicity * genders.count + gender }

    /// The flat index of a rank × group × service cell; service is the fastest-moving index,
    /// so the cells of one rank and group are contiguous.
    @inlinable public func cell(_ rank: Int, _ group: Int, _ service: Int) -> Int {
        (rank * groupCount + group) * maxService + service
    }
}

/// A named set of ranks.
public struct RankAggregate: Sendable, Hashable {
    public var name: String
    /// Indices into `Dimensions.ranks`, lowest first.
    public var members: [Int]

    public init(name: String, members: [Int]) {
        self.name = name
        self.members = members
    }
}

/// A named set of categories of one dimension.
public struct Aggregate: Sendable, Hashable {
    public enum Dimension: String, Sendable, Hashable { case ethnicity, gender }
    public var name: String
    public var dimension: Dimension
    /// Indices into `Dimensions.ethnicities` or `Dimensions.genders`.
    public var members: [Int]

    public init(name: String, dimension: Dimension, members: [Int]) {
        self.name = name
        self.dimension = dimension
        self.members = members
    }
}

/// A subset of the workforce: ranks × ethnicities × genders, each a membership mask, and
/// optionally years of service.
public struct Selector: Sendable, Hashable {
    public var ranks: [Bool]
    public var ethnicities: [Bool]
    public var genders: [Bool]
    /// Completed years of service selected (inclusive), nil for all. Only leaving multipliers
    /// and leaving interventions select by service (e.g. probationers: `0...1`).
    public var service: ClosedRange<Int>?

    public init(ranks: [Bool], ethnicities: [Bool], genders: [Bool], service: ClosedRange<Int>? = nil) {
        self.ranks = ranks
        self.ethnicities = ethnicities
        self.genders = genders
        self.service = service
    }

    /// Everyone.
    public static func all(_ d: Dimensions) -> Selector {
        Selector(
            ranks: Array(repeating: true, count: d.ranks.count),
            ethnicities: Array(repeating: true, count: d.ethnicities.count),
            genders: Array(repeating: true, count: d.genders.count))
    }

    @inlinable public func contains(rank: Int, ethnicity: Int, gender: Int) -> Bool {
        ranks[rank] && ethnicities[ethnicity] && genders[gender]
    }
}

// MARK: - Time

/// A timeline month, the unit of every date in a scenario (`2024-03`).
public struct Month: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Months since January of year 0.
    public var index: Int

    public init(index: Int) { self.index = index }
    public init(year: Int, month: Int) { self.index = year * 12 + (month - 1) }

    /// Reads a month as `description` writes it, `YYYY-MM` (four and two ASCII digits, month
    /// 1–12); nil for anything else. The one month parser of scenarios, data and result files.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              // checked: from text: four or two ASCII digits always fit
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
    }

    public var year: Int { index >= 0 ? index / 12 : (index - 11) / 12 }
    public var month: Int { index - year * 12 + 1 }
    public static func < (a: Month, b: Month) -> Bool { a.index < b.index }
    public static func + (a: Month, months: Int) -> Month { Month(index: a.index + months) }
    public static func - (a: Month, b: Month) -> Int { a.index - b.index }

    /// `YYYY-MM`.
    public var description: String {
        let m = month
        return "\(year)-\(m < 10 ? "0" : "")\(m)"
    }

    /// The month's short name: `Mar`.
    public var name: String { ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1] }

    /// The month in words, as prose and axes write it: `Mar 2024`.
    public var long: String { "\(name) \(year)" }
}

extension Month: Codable {
    /// Written `YYYY-MM`, as everywhere in the result files.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let month = Month(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a month; expected YYYY-MM")
        }
        self = month
    }
}

/// The time grid of a run.
///
/// The state "at" a month is the workforce after every step that ends in or before it. Step `t`
/// (1-based) covers the `monthsPerStep` months ending at `start + t * monthsPerStep`.
public struct Timeline: Sendable, Hashable {
    public enum Step: String, Sendable, Hashable, CaseIterable {
        case month, quarter, year
        public var months: Int {
            switch self {
            case .month: 1
            case .quarter: 3
            case .year: 12
            }
        }
    }

    /// The as-at month of the initial workforce.
    public var start: Month
    /// The last month simulated.
    public var horizon: Month
    public var step: Step
    public var replications: Int
    public var seed: UInt64

    public init(start: Month, horizon: Month, step: Step, replications: Int, seed: UInt64) {
        self.start = start
        self.horizon = horizon
        self.step = step
        self.replications = replications
        self.seed = seed
    }

    public var monthsPerStep: Int { step.months }
    public var stepsPerYear: Int { 12 / step.months }
    /// Whole steps between start and horizon.
    public var stepCount: Int { (horizon - start) / monthsPerStep }
    /// The month a step ends in.
    public func end(ofStep t: Int) -> Month { start + t * monthsPerStep }
    /// The first month a step covers.
    public func first(ofStep t: Int) -> Month { start + (t - 1) * monthsPerStep + 1 }
    /// The last step ending in or before `month` (0 means the initial state).
    public func step(at month: Month) -> Int { max(0, min(stepCount, (month - start) / monthsPerStep)) }
}

/// A value that changes on given dates: each entry holds from its month until the next entry.
/// The first entry holds from the start of the run whatever its month.
public struct Dated<Value: Sendable>: Sendable {
    public var entries: [(from: Month, value: Value)]

    public init(_ entries: [(from: Month, value: Value)]) {
        precondition(!entries.isEmpty, "a dated value needs at least one entry")
        self.entries = entries
    }

    public init(constant value: Value) { self.entries = [(Month(index: Int.min / 2), value)] }

    /// The value holding for a step that begins in `month`.
    public func value(at month: Month) -> Value {
        var result = entries[0].value
        for entry in entries.dropFirst() where entry.from <= month { result = entry.value }
        return result
    }

    /// The months at which the value changes (after the first entry).
    public var changes: [Month] { entries.dropFirst().map(\.from) }
}

// MARK: - Parameters

/// An index into `Model.parameters`: a number that may be drawn once per replication.
public struct Parameter: Sendable, Hashable {
    public var index: Int
    public init(_ index: Int) { self.index = index }
}

/// A number, or the distribution it is drawn from once per replication.
///
/// Every distribution is truncated to `range`, the valid range of the quantity it stands for
/// (e.g. `0...1` for a probability, `0...` for a multiplier).
public enum Distribution: Sendable, Hashable {
    case fixed(Double)
    case uniform(low: Double, high: Double)
    /// A normal distribution truncated to `range`, drawn by inversion.
    case normal(mean: Double, sd: Double)
    /// A beta distribution on `low...high` (`0...1` by default).
    case beta(a: Double, b: Double, low: Double, high: Double)
    case triangular(low: Double, mode: Double, high: Double)
}

/// A model number: its distribution, the range it is valid in, and where it came from
/// (a field path, for messages and for `--set`).
public struct ParameterSpec: Sendable, Hashable {
    public var path: String
    public var distribution: Distribution
    public var range: ClosedRange<Double>
    /// The input in words ("BAME share of recruits into Constable from Apr 2022"), for tables
    /// and charts; the path stays its identity. Nil where nothing better than the path is known.
    public var label: String?
    /// Variation from one simulation year to the next within a replication, around the value
    /// drawn for the replication (YearToYear.swift); nil: the value holds for the whole run.
    public var yearToYear: YearToYear?

    public init(
        path: String, distribution: Distribution, range: ClosedRange<Double>, label: String? = nil, yearToYear: YearToYear? = nil
    ) {
        self.path = path
        self.distribution = distribution
        self.range = range
        self.label = label
        self.yearToYear = yearToYear
    }

    /// The label, else the field path.
    public var name: String { label ?? path }

    /// Whether the field path `path` is `ancestor` itself or lies below it, component by
    /// component: `recruitment[1]` holds `recruitment[1].size` but not `recruitment[10].size`.
    public static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        guard path.hasPrefix(ancestor) else { return false }
        let rest = path.dropFirst(ancestor.count)
        return ancestor.isEmpty || rest.isEmpty || rest.first == "." || rest.first == "["
    }
}

/// A vector of shares over the categories of one dimension, summing to one.
/// At most one entry is the `rest`: one minus the sum of the others, as drawn.
public struct Shares: Sendable, Hashable {
    public enum Entry: Sendable, Hashable {
        case value(Parameter)
        /// A fixed fraction of an aggregate's share (e.g. Black = 20% of the BAME share): the
        /// members of an aggregate share one parameter, so one draw.
        case part(Parameter, fraction: Double)
        case rest
    }
    /// One entry per category, in dimension order.
    public var entries: [Entry]
    public init(_ entries: [Entry]) { self.entries = entries }
}

// MARK: - Flows

/// Leaving: annual probabilities by rank × service band, scaled by group multipliers. The same
/// form gives the rates of every exit flow that runs at rates (`Model.rates(of:)`): leaving and
/// transfers out.
///
/// For an officer of rank r, group q and service s the annual probability is
/// `min(1, base × Π multipliers × Π active leaving interventions)`, where `base` comes from
/// the last override whose selector contains the officer, else from `rates`.
public struct Leaving: Sendable {
    /// Service bands partitioning `0 ..< maxService`, as inclusive ranges of years.
    public var bands: [ClosedRange<Int>]
    /// `rates[rank][band]`: the annual leaving probability.
    public var rates: [[Parameter]]
    public var multipliers: [Multiplier]
    public var overrides: [Override]

    public struct Multiplier: Sendable {
        public var selector: Selector
        public var factor: Parameter
        public init(selector: Selector, factor: Parameter) {
            self.selector = selector
            self.factor = factor
        }
    }

    /// A full replacement of `rates` for a subset of the workforce.
    public struct Override: Sendable {
        public var selector: Selector
        public var rates: [[Parameter]]
        public init(selector: Selector, rates: [[Parameter]]) {
            self.selector = selector
            self.rates = rates
        }
    }

    public init(bands: [ClosedRange<Int>], rates: [[Parameter]], multipliers: [Multiplier] = [], overrides: [Override] = []) {
        self.bands = bands
        self.rates = rates
        self.multipliers = multipliers
        self.overrides = overrides
    }
}

/// Promotion into one rank from the rank below.
public struct Promotion: Sendable {
    public enum Mode: Sendable {
        /// Each eligible officer is promoted with this annual probability (before odds factors).
        case rate(Parameter)
        /// Vacancies (establishment − headcount) are filled from the eligible officers.
        case vacancy
        /// Vacancies are filled from those who pass a promotion process (PassRate.swift): each
        /// eligible officer applies with the annual probability `apply`, an applicant passes with
        /// the group's pass rate (`pass`, or the last `byGroup` rate selecting the group, its odds
        /// times the odds factors), and the vacancies are filled at random from those who passed.
        case passRate(apply: Parameter, pass: Parameter, byGroup: [Funnel.GroupRate])
    }
    public var mode: Mode
    /// Years of service needed to be eligible.
    public var minService: Int
    /// Relative promotion odds by group (ethnicity × gender; the ranks mask is unused).
    public var odds: [Leaving.Multiplier]

    public init(mode: Mode, minService: Int, odds: [Leaving.Multiplier] = []) {
        self.mode = mode
        self.minService = minService
        self.odds = odds
    }
}

/// Recruits joining one rank at 0 years of service.
public struct Intake: Sendable {
    public enum Size: Sendable {
        /// Recruits per year, spread evenly over the year's steps.
        case perYear(Dated<Parameter>)
        /// Enough recruits each step to bring the rank to its establishment.
        case fillToEstablishment
        /// Everyone who passes every stage of the intake's `funnel` (an intake without a funnel
        /// and of this size recruits no one; the scenario reader never makes one).
        case allWhoPass
    }
    public var rank: Int
    public var size: Size
    /// Ethnicity shares of the intake (of its applicants, when it has a `funnel`).
    public var ethnicity: Dated<Shares>
    /// Gender shares of the intake, the same for every ethnicity unless `genderByEthnicity` says otherwise.
    public var gender: Dated<Shares>
    /// Gender shares for particular ethnicities (index → shares), overriding `gender`.
    public var genderByEthnicity: [Int: Dated<Shares>]
    /// Applications and selection stages (Funnel.swift): when present, the shares above are those
    /// of applicants, the recruits are who passes every stage, and `size` caps them.
    public var funnel: Funnel?

    public init(
        rank: Int, size: Size, ethnicity: Dated<Shares>, gender: Dated<Shares>, genderByEthnicity: [Int: Dated<Shares>] = [:],
        funnel: Funnel? = nil
    ) {
        self.rank = rank
        self.size = size
        self.ethnicity = ethnicity
        self.gender = gender
        self.genderByEthnicity = genderByEthnicity
        self.funnel = funnel
    }
}

/// A dated change to the flows for a subset of the workforce.
public struct Intervention: Sendable {
    public enum Effect: Sendable {
        /// Multiplies the annual leaving probability of the selected officers (capped at 1).
        case leaving(Parameter)
        /// Multiplies the annual probability of transferring out of the selected officers (capped at 1).
        case transfersOut(Parameter)
        /// Multiplies the promotion odds of the selected officers (selected by their current rank).
        case promotionOdds(Parameter)
        /// Sets the promotion pass rate of the selected officers (selected by their current rank)
        /// where promotion is by pass rate, e.g. Black constables' 68% → 75%.
        case promotionPass(Parameter)
        /// Replaces the intake shares of the selected entry ranks.
        case intakeShares(ethnicity: Shares?, gender: Shares?)
        /// Multiplies the pass rate of one funnel stage (by name) for the selected applicants
        /// (ethnicities × genders) of intakes into the selected ranks (capped at 1).
        case stagePass(stage: String, factor: Parameter)
    }
    public var name: String
    public var from: Month
    /// The last month the effect holds, if it ends.
    public var until: Month?
    public var selector: Selector
    public var effect: Effect

    public init(name: String, from: Month, until: Month? = nil, selector: Selector, effect: Effect) {
        self.name = name
        self.from = from
        self.until = until
        self.selector = selector
        self.effect = effect
    }

    /// Whether the effect holds for a step that begins in `month`.
    public func isActive(at month: Month) -> Bool {
        month >= from && (until.map { month <= $0 } ?? true)
    }
}

// MARK: - Targets

/// A group as a scenario names it, by dimension: the ethnicity (a category or an aggregate of
/// categories, by name) and the gender it counts; nil for a dimension it does not restrict. In JSON
/// `{"ethnicity": "Black", "gender": "Female"}`.
public struct GroupName: Sendable, Hashable, Codable {
    public var ethnicity: String?
    public var gender: String?

    public init(ethnicity: String? = nil, gender: String? = nil) { (self.ethnicity, self.gender) = (ethnicity, gender) }

    /// The group in words, ethnicity first: `BAME`, `Female`, `Black Female`; empty for everyone.
    public var words: String { [ethnicity, gender].compactMap { $0 }.joined(separator: " ") }
}

/// A named aim: a share, a threshold and a date.
public struct Target: Sendable {
    /// How long a target met after its date must be kept to count as first met: 12 months. On
    /// or before its date, "kept" means kept to the date (so the chance of first meeting it by
    /// its date is the chance of meeting it then); after it, met at every measurement of a whole
    /// year, and dated at the end of that year, so whether and when a replication first meets a
    /// target never depends on how far the run goes on (docs/engine.md, "First met"). A stated
    /// choice: a year is the period boards report over.
    public static let keptForMonths = 12

    public enum Population: Sendable, Hashable {
        /// Officers in post in the selected ranks, at the date.
        case officers
        /// Recruits joining the selected ranks during the period.
        case recruits
        /// Promotions into the selected ranks during the period.
        case promotions
    }
    public enum Comparison: String, Sendable, Hashable, Codable {
        case atLeast = "at_least"
        case atMost = "at_most"
    }

    public var name: String
    public var population: Population
    /// The ranks counted (denominator and numerator).
    public var ranks: [Bool]
    /// The group whose share is measured (its ranks mask is unused).
    public var group: Selector
    /// The ethnicities and genders counted in the denominator (its ranks mask is unused); all by
    /// default. Excluding e.g. "Not stated" gives the Home Office basis for published shares.
    public var denominator: Selector
    /// The group as the scenario names it, by dimension.
    public var groupName: GroupName
    /// The group in words, e.g. "BAME" or "Black Female"; "All" for everyone.
    public var groupLabel: String { groupName.words.isEmpty ? "All" : groupName.words }
    public var comparison: Comparison
    /// A share in 0...1.
    public var threshold: Double
    /// The month at which the target is judged.
    public var date: Month
    /// For recruit and promotion targets: the first month of the period counted (the period
    /// ends at `date`). Unused for officer targets.
    public var periodStart: Month

    public init(
        name: String, population: Population, ranks: [Bool], group: Selector, groupName: GroupName,
        comparison: Comparison, threshold: Double, date: Month, periodStart: Month? = nil, denominator: Selector? = nil
    ) {
        self.name = name
        self.population = population
        self.ranks = ranks
        self.group = group
        self.groupName = groupName
        self.comparison = comparison
        self.threshold = threshold
        self.date = date
        self.periodStart = periodStart ?? date
        self.denominator = denominator ?? Selector(
            ranks: ranks, ethnicities: Array(repeating: true, count: group.ethnicities.count),
            genders: Array(repeating: true, count: group.genders.count))
    }

    /// Whether officers of this rank, ethnicity and gender are counted in the share's denominator.
    @inlinable public func counts(rank: Int, ethnicity: Int, gender: Int) -> Bool {
        ranks[rank] && denominator.ethnicities[ethnicity] && denominator.genders[gender]
    }

    /// Whether they are counted in its numerator too (they belong to the measured group).
    @inlinable public func countsInGroup(rank: Int, ethnicity: Int, gender: Int) -> Bool {
        counts(rank: rank, ethnicity: ethnicity, gender: gender) && group.ethnicities[ethnicity] && group.genders[gender]
    }

    /// For an officer target, the share in `model`'s initial workforce (NaN if the denominator is empty).
    public func initialShare(in model: Model) -> Double {
        let d = model.dimensions
        var numerator = 0.0, denominator = 0.0
        for r in d.ranks.indices {
            for e in d.ethnicities.indices {
                for g in d.genders.indices where counts(rank: r, ethnicity: e, gender: g) {
                    let n = Double((0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(r, d.group(e, g), $1)] })
                    denominator += n
                    if countsInGroup(rank: r, ethnicity: e, gender: g) { numerator += n }
                }
            }
        }
        return denominator > 0 ? numerator / denominator : .nan
    }

    public func isMet(_ value: Double) -> Bool { Self.meets(value, comparison, threshold) }

    /// Whether `value` meets `threshold` by `comparison` (never when NaN).
    @inline(__always) static func meets(_ value: Double, _ comparison: Comparison, _ threshold: Double) -> Bool {
        guard !value.isNaN else { return false }
        switch comparison {
        case .atLeast: return value >= threshold
        case .atMost: return value <= threshold
        }
    }
}
