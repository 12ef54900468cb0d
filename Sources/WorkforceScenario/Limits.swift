import Workforce
import Yams

/// The ranges every scenario number must lie in, checked at validation so that a run can never
/// trap on a value the engine cannot represent (`docs/scenario-format.md`, "Limits").
public enum Limits {
    /// The most officers a scenario may ever hold at once: the engine stores counts as 32-bit
    /// signed integers and hands blocks of officers to GSL's binomial and multinomial, whose
    /// counts are 32-bit unsigned, so every count must fit in `Int32`.
    /// Also the largest single headcount, establishment or intake per year.
    // checked: widening Int32 to Int
    public static let officers = Int(Int32.max)

    /// The longest run: 200 years after the start (2,400 monthly steps). Longer is a typing mistake.
    public static let horizonYears = 200

    /// The most cells (ranks × ethnicities × genders × years of service): 10,000,000 cells keep
    /// each replication's stock arrays under 100 MB.
    public static let cells = 10_000_000

    /// The most replications a scenario or `--replications` may ask for; memory is checked
    /// separately, before a run starts, against what the machine has.
    public static let replications = 10_000_000

    /// The most stages a recruitment funnel may have; and the most stage × group pairs, each of
    /// which draws from its own random substream, numbered in a 16-bit field of the stream key.
    public static let funnelStages = 20
    public static let funnelStreams = 65_536

    /// How far above its mean a truncated normal can be drawn: by inversion of a uniform with
    /// at most 53 random bits, the largest quantile is about 8.3 standard deviations.
    static let normalReach = 9.0

    /// The largest seed, in the scenario (`simulation.seed`) and on the command line (`--seed`):
    /// 10^15, below which a number written in YAML is an exact whole number.
    public static let seed = 1_000_000_000_000_000

    /// The range of a beta distribution's shape parameters `a` and `b`. Above 100,000 (with
    /// both large) the distribution's standard deviation is below 0.0016 of its range, so a fixed
    /// value says the same, and GSL's inverse beta (the engine draws by inversion) does not
    /// finish for a = b = 10^6 (measured: still running after 20 s; 10^5 takes at most 0.02 ms
    /// a draw). Below 0.001 more than half the draws fall within 10^-300 of an end: the
    /// distribution is two points, better written as such. Within the range every draw takes
    /// at most about 64 evaluations of the beta CDF (`Distribution.quantile`).
    public static let betaShape: ClosedRange<Double> = 0.001...100_000
}

extension Distribution {
    /// The largest value a draw can take when truncated to `range`, a normal's reach included.
    func largestDraw(in range: ClosedRange<Double>) -> Double {
        switch self {
        case .normal(let mean, let sd): min(range.upperBound, mean + Limits.normalReach * sd)
        default: upperBound(in: range)
        }
    }
}

extension ScenarioReader {
    /// Checks that the workforce can never exceed `Limits.officers`: the initial headcount, plus
    /// for each intake its largest yearly size (a `fill` intake: its rank's largest establishment
    /// every step) times `max_service + 1` years, the longest an officer recruited can stay.
    mutating func checkCapacity(_ model: Model, initialNode: Node?, recruitmentNode: Node?) {
        let initial = model.initial.reduce(0, +)
        let years = Double(model.dimensions.maxService + 1)
        var recruits = 0.0
        for intake in model.intakes {
            switch intake.size {
            case .perYear(let size):
                recruits += largest(size) * years
            case .allWhoPass:
                recruits += (intake.funnel.map { largest($0.applications) } ?? 0) * years
            case .fillToEstablishment:
                let scale = model.establishmentScale.map { largest(Dated(constant: $0)) } ?? 1
                let establishment = (model.establishment[intake.rank].map(largest) ?? 0) * scale
                recruits += establishment * Double(model.timeline.stepsPerYear) * years
            }
        }
        let reach = Double(initial) + recruits
        guard reach > Double(Limits.officers) else { return }
        let expected = "expected at most \(Limits.officers) officers at once, the engine's 32-bit limit"
        if recruits > 0 {
            report("the workforce could reach \(Self.format(reach)) officers (\(initial) at the start and up to "
                   + "\(Self.format(recruits)) recruits staying up to max_service + 1 years); \(expected)",
                   at: recruitmentNode, .root.key("recruitment"))
        } else {
            report("the initial workforce totals \(initial) officers; \(expected)", at: initialNode, .root.key("initial"))
        }
    }

    /// The largest value a dated parameter can take at any date.
    private func largest(_ value: Dated<Parameter>) -> Double {
        value.entries.map { parameters[$0.value.index].distribution.largestDraw(in: parameters[$0.value.index].range) }.max() ?? 0
    }
}
