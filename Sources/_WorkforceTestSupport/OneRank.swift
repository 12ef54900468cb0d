import Workforce

/// Not API: one rank of constant size `n` refilled to establishment every year by recruits
/// with minority share `r`; the majority leaves at `w` a year, the minority at `m · w`. The
/// minority share starts at `s0` and is judged against `threshold` at the horizon (`years`).
/// With m = 1 it is r + (s0 − r)(1 − w)ᵀ after T years.
public func oneRankModel(
    recruitShare r: Double, minorityLeaving m: Double = 1, n: Int = 10_000, s0: Double = 0.10, w: Double = 0.07,
    threshold: Double = 0.25, years: Int = 8, replications: Int = 400, seed: UInt64 = 5
) -> Model {
    var b = ModelBuilder(years: years, replications: replications, seed: seed)
    b.set(rank: 0, ethnicity: 0, service: 5, Int(Double(n) * (1 - s0)))  // checked: test support: n a small officer count, s0 in 0...1
    b.set(rank: 0, ethnicity: 1, service: 5, Int(Double(n) * s0))  // checked: test support: n a small officer count, s0 in 0...1
    var leaving = b.uniformLeaving(w)
    if m != 1 { leaving.multipliers.append(Leaving.Multiplier(selector: b.selector(ethnicities: [1]), factor: b.parameter(m))) }
    let establishment = b.parameter(Double(n))
    let intake = Intake(rank: 0, size: .fillToEstablishment, ethnicity: Dated(constant: b.shares([1 - r, r])), gender: Dated(constant: b.shares([1])))
    let target = Target(
        name: "minority", population: .officers, ranks: [true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"),
        comparison: .atLeast, threshold: threshold, date: b.timeline.horizon)
    return b.model(leaving: leaving, establishment: [0: Dated(constant: establishment)], intakes: [intake], targets: [target])
}
