import Workforce

/// A multi-rank model with every flow: banded leaving with multipliers, vacancy and rate
/// promotion with odds, an intake filling to establishment, direct entry, interventions and an
/// uncertain parameter. With `transferRate`, transfers out too: that annual rate for every rank,
/// × 1.5 for minorities, × 2 for probationers from 2022 (an intervention appended last, so the
/// other inputs keep their draws).
public func richModel(step: Timeline.Step = .month, years: Int = 5, replications: Int = 200, scale: Int = 1, transferRate: Double? = nil) -> Model {
    var b = ModelBuilder(
        ranks: ["PC", "PS", "Insp", "CI"], ethnicities: ["W", "B", "A"], genders: ["F", "M"], maxService: 30,
        years: years, step: step, replications: replications, seed: 7)
    let d = b.dimensions
    for r in 0..<4 {
        for q in 0..<d.groupCount {
            for s in 0..<30 where s >= 3 * r {
                b.initial[d.cell(r, q, s)] = scale * ((r * 31 + q * 17 + s * 7) % 11 + (r == 0 ? 20 : 4)) * (q % 2 == 0 ? 3 : 1) / (r + 1)
            }
        }
    }
    let bands = [0...1, 2...9, 10...24, 25...29]
    let rates = (0..<4).map { r in [0.08, 0.04, 0.03, 0.2].map { b.parameter($0 + 0.005 * Double(r)) } }
    let minority = b.selector(ethnicities: [1, 2])
    let leaving = Leaving(
        bands: bands, rates: rates,
        multipliers: [
            .init(selector: minority, factor: b.parameter(1.2)),
            .init(selector: b.selector(ranks: [0], genders: [0]), factor: b.parameter(1.1, .uniform(low: 1.0, high: 1.2))),
        ],
        overrides: [.init(selector: b.selector(ethnicities: [1], genders: [1]), rates: [rates[1], [], rates[3], rates[2]])])
    let headcounts = (0..<4).map { r in (0..<d.groupCount).reduce(0) { sum, q in sum + (0..<30).reduce(0) { $0 + b.initial[d.cell(r, q, $1)] } } }
    var establishment: [Int: Dated<Parameter>] = [:]
    for r in 0..<4 { establishment[r] = Dated(constant: b.parameter(Double(headcounts[r]) * 1.05)) }
    establishment[2] = Dated([(Month(year: 2020, month: 1), b.parameter(Double(headcounts[2]))), (Month(year: 2022, month: 4), b.parameter(Double(headcounts[2]) * 1.1))])
    let promotion: [Int: Promotion] = [
        1: Promotion(mode: .vacancy, minService: 4, odds: [.init(selector: minority, factor: b.parameter(0.7))]),
        2: Promotion(mode: .rate(b.parameter(0.06)), minService: 8, odds: [.init(selector: b.selector(genders: [0]), factor: b.parameter(1.3))]),
        3: Promotion(mode: .vacancy, minService: 12),
    ]
    let ethnicity = Dated([(Month(year: 2020, month: 1), b.shares([0.8, 0.05, 0.15])), (Month(year: 2021, month: 4), Shares([.rest, .value(b.parameter(0.1)), .value(b.parameter(0.3))]))])
    let gender = Dated(constant: b.shares([0.4, 0.6]))
    let intakes = [
        Intake(rank: 0, size: .fillToEstablishment, ethnicity: ethnicity, gender: gender, genderByEthnicity: [1: Dated(constant: b.shares([0.5, 0.5]))]),
        Intake(rank: 2, size: .perYear(Dated(constant: b.parameter(Double(6 * scale)))), ethnicity: Dated(constant: b.shares([0.6, 0.2, 0.2])), gender: gender),
    ]
    let interventions = [
        Intervention(name: "programme", from: Month(year: 2021, month: 4), selector: b.selector(ranks: [0], ethnicities: [1]), effect: .promotionOdds(b.parameter(1.5))),
        Intervention(name: "retention", from: Month(year: 2022, month: 1), until: Month(year: 2023, month: 12), selector: minority, effect: .leaving(b.parameter(0.8))),
        Intervention(name: "campaign", from: Month(year: 2023, month: 1), selector: b.selector(ranks: [0]), effect: .intakeShares(ethnicity: nil, gender: b.shares([0.5, 0.5]))),
    ]
    let targets = [
        Target(name: "minority officers", population: .officers, ranks: [true, true, true, true], group: minority, groupName: GroupName(ethnicity: "BA"), comparison: .atLeast, threshold: 0.3, date: Month(year: 2024, month: 1)),
        Target(name: "minority PS", population: .officers, ranks: [false, true, false, false], group: minority, groupName: GroupName(ethnicity: "BA"), comparison: .atLeast, threshold: 0.25, date: Month(year: 2023, month: 3)),
        Target(name: "women recruits", population: .recruits, ranks: [true, false, false, false], group: b.selector(genders: [0]), groupName: GroupName(gender: "F"), comparison: .atLeast, threshold: 0.45, date: Month(year: 2024, month: 3), periodStart: Month(year: 2023, month: 4)),
        Target(name: "minority promotions", population: .promotions, ranks: [false, true, true, true], group: minority, groupName: GroupName(ethnicity: "BA"), comparison: .atMost, threshold: 0.5, date: Month(year: 2022, month: 12), periodStart: Month(year: 2022, month: 1)),
    ]
    var transfersOut: Leaving?
    var transferBonus: [Intervention] = []
    if let transferRate {
        let rate = b.parameter(transferRate)
        transfersOut = Leaving(bands: [0...29], rates: Array(repeating: [rate], count: 4), multipliers: [.init(selector: minority, factor: b.parameter(1.5))])
        var probationers = b.selector()
        probationers.service = 0...1
        transferBonus = [Intervention(name: "transfer bonus", from: Month(year: 2022, month: 1), selector: probationers, effect: .transfersOut(b.parameter(2)))]
    }
    return b.model(
        leaving: leaving, transfersOut: transfersOut, establishment: establishment, promotion: promotion, intakes: intakes,
        interventions: interventions + transferBonus, targets: targets)
}
