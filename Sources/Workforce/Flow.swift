/// The flows of officers into, out of and between the ranks: one description that drives the
/// engine's step (what runs, in which order, on which substreams), what is recorded per year
/// (`Plan.flows`, flows.csv), attribution (`WorkforceAnalysis.Attribution`) and the report's flow
/// charts.
///
/// Raw values are the order of recorded flows in a replication's record and in flows.csv; a new
/// flow takes the next raw value (never renumber one). Adding an exit flow (like `transfersOut`)
/// takes: a case here with its description, its rate table in `Model` (`Model.rates(of:)`), an
/// intervention effect (`Intervention.Effect.exitFactor(of:)`), a `StreamKey.Purpose`, and its
/// scenario reader; the engine runs it as it runs every exit (`Tables.exits`, `Replication.exit`).
public enum Flow: Int, CaseIterable, Sendable, Hashable {
    /// Recruits joining a rank at 0 years of service (the intakes).
    case joiners = 0
    /// Officers leaving the service at the leaving rates (`Model.leaving`), and those reaching
    /// `max_service` (`retirements`, recorded here).
    case leavers = 1
    /// Officers promoted into a rank from the rank below (by rate or by vacancy), recorded by the
    /// rank promoted into.
    case promotions = 2
    /// Officers leaving to another force at their own rates (`Model.transfersOut`), recorded
    /// apart from other leavers.
    case transfersOut = 3
    /// Officers reaching `max_service` at the end of a simulation year, who leave; recorded with
    /// `leavers`.
    case retirements = 4

    /// What a flow does to the workforce.
    public enum Kind: Sendable {
        /// Officers join (a rank × group at 0 years of service).
        case entry
        /// Officers leave the workforce.
        case exit
        /// Officers move between ranks (same group and service).
        case move
    }

    /// The order in which flows run within a step: exits first (leaving, then transfers out among
    /// those who stayed), then promotions top rank down (so vacancies count this step's exits),
    /// then recruits (filling what is left), then, at a year's end, ageing and retirement.
    public static let stepOrder: [Flow] = [.leavers, .transfersOut, .promotions, .joiners, .retirements]

    public var kind: Kind {
        switch self {
        case .joiners: .entry
        case .leavers, .transfersOut, .retirements: .exit
        case .promotions: .move
        }
    }

    /// The flow's name in files (the `flow` column of flows.csv): `joiners`, `leavers`,
    /// `promotions`, `transfers_out`; `retirements` is recorded as `leavers`.
    public var name: String {
        switch self {
        case .joiners: "joiners"
        case .leavers: "leavers"
        case .promotions: "promotions"
        case .transfersOut: "transfers_out"
        case .retirements: "retirements"
        }
    }

    /// The flow in words, as the report's charts write it.
    public var title: String {
        switch self {
        case .joiners: "Joiners"
        case .leavers: "Leavers"
        case .promotions: "Promotions"
        case .transfersOut: "Transfers out"
        case .retirements: "Retirements"
        }
    }

    /// The recorded flow that counts this one: itself, except retirements (counted as leavers).
    public var recordedAs: Flow { self == .retirements ? .leavers : self }

    /// Whether the flow runs only at the end of a simulation year (else every step).
    public var atYearEnd: Bool { self == .retirements }

    /// The substreams the flow draws from (docs/engine.md, "Randomness and reproducibility"):
    /// its first purpose, and a second where it has two kinds of draw (promotions by vacancy;
    /// the ethnicity split of an intake after its gender split). Retirements draw nothing.
    public var streams: (first: StreamKey.Purpose?, second: StreamKey.Purpose?) {
        switch self {
        case .joiners: (.intakeGender, .intakeEthnicity)
        case .leavers: (.leaving, nil)
        case .promotions: (.promotionByRate, .promotionByVacancy)
        case .transfersOut: (.transfersOut, nil)
        case .retirements: (nil, nil)
        }
    }

    /// The flow's part in attribution (`attribution.csv`'s `component`), nil for a flow whose
    /// group differences cannot be set to parity (retirements follow from service alone).
    public var attribution: String? {
        switch self {
        case .joiners: "recruitment"
        case .leavers: "leaving"
        case .promotions: "promotion"
        case .transfersOut: "transfers_out"
        case .retirements: nil
        }
    }

    /// Whether `model` has this flow: every model has joiners, leavers, promotions and
    /// retirements (possibly none of them); transfers out only with a `transfers_out` table.
    public func isPresent(in model: Model) -> Bool {
        self == .transfersOut ? model.transfersOut != nil : true
    }

    /// The flows `model` records per year, in raw-value order (a replication's record layout).
    public static func recorded(in model: Model) -> [Flow] {
        allCases.filter { $0.recordedAs == $0 && $0.isPresent(in: model) }
    }
}

extension Model {
    /// The rate table of an exit flow that runs at rates (leavers, transfers out); nil for any
    /// other flow, or for transfers out in a model without them.
    public func rates(of flow: Flow) -> Leaving? {
        switch flow {
        case .leavers: leaving
        case .transfersOut: transfersOut
        case .joiners, .promotions, .retirements: nil
        }
    }
}

extension Intervention.Effect {
    /// The factor this effect multiplies an exit flow's annual probability by, nil if it does not.
    public func exitFactor(of flow: Flow) -> Parameter? {
        switch (self, flow) {
        case (.leaving(let factor), .leavers), (.transfersOut(let factor), .transfersOut): factor
        default: nil
        }
    }
}
