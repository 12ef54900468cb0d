/// Promotion by pass rate (`Promotion.Mode.passRate`): a promotion process that eligible officers
/// apply to and pass at rates by group, filling the rank's vacancies.
///
/// Each step, into rank r from r − 1: vacancies are the establishment minus the headcount (as for
/// promotion by vacancy); each eligible officer applies with the step probability of the annual
/// `apply` rate; an applicant of group q passes with `pass_q`; if more pass than there are
/// vacancies, those promoted are a uniform random subset of the passers, otherwise every passer is
/// promoted. Passers not promoted stay where they are (they may apply again). docs/engine.md.
enum PassRate {
    /// Writes the pass probability of each group for promotion into `rank` to
    /// `rates[offset + group]`: the rule's rate, or the last `byGroup` rate selecting the group, or
    /// the last active `promotionPass` intervention (of `interventions[active]`) selecting the
    /// group's officers in rank − 1; then its odds p/(1 − p) times the group's odds factors
    /// (`odds`: the rule's and active `promotion_odds`), back to a probability. Allocates nothing.
    static func passRates(
        into rank: Int, pass: Parameter, byGroup: [Funnel.GroupRate], odds: [Double], _ d: Dimensions,
        active: [Int], of interventions: [Intervention], _ v: [Double], writing rates: inout [Double], at offset: Int
    ) {
        let G = d.genders.count
        for e in 0..<d.ethnicities.count {
            for g in 0..<G {
                var p = v[pass.index]
                for rate in byGroup where rate.selector.ethnicities[e] && rate.selector.genders[g] { p = v[rate.pass.index] }
                for i in active where interventions[i].selector.contains(rank: rank - 1, ethnicity: e, gender: g) {
                    if case .promotionPass(let rate) = interventions[i].effect { p = v[rate.index] }
                }
                let q = e * G + g
                if p >= 1 {
                    rates[offset + q] = odds[q] > 0 ? 1 : 0
                } else {
                    let o = p / (1 - p) * odds[q]
                    rates[offset + q] = o.isFinite ? o / (1 + o) : 1
                }
            }
        }
    }
}
