#!/usr/bin/env python3
"""Derive the Met (MPS) baseline workforce at December 2021 and the calibrated rates
used by Scenarios/met-*.yaml.  Documented in docs/met-scenarios.md, which explains every
step; each input below is tagged with its source ([S], [S2], [seed] as in
data/README.md, or [HO 2004] for the Home Office open-data table of Met officers at
31 March 2004 in data/) or marked "assumption".

Writes Scenarios/data/met-2021-12-initial.csv and prints the derived numbers that are
copied (with comments) into the scenario files.

Usage:  python3 scripts/met/derive_baseline.py [--write]
Needs only Python 3 and numpy.
"""
import sys
import numpy as np

MAX_SERVICE = 40                    # years 0..39; 30+ leavers are retirements
S = np.arange(MAX_SERVICE)

# ---------------------------------------------------------------- published anchors
TOTAL = 33077                       # [seed] officers, Dec 2021 (May 2022 letter, Action 7)
BAME_TOTAL = 5370                   # [seed] 16.2%, Dec 2021
BLACK_TOTAL = 1188                  # [S] 1,160 Mar 2021 and 1,215 Sep 2022, interpolated to Dec 2021
WOMEN_TOTAL = 9700                  # derived, see doc: [S] 9,265 in Mar 2021 + Apr-Dec 2021 flows
                                    # (the seed's 9,404, quoted in Feb 2022 beside 5,223 BAME, predates
                                    # Dec 2021 or is FTE: Dec 2021 BAME was already 5,370)

RANKS = ["Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent",
         "Chief Superintendent", "Chief Officer"]
SHAPE_2006 = [23592, 5231, 1673, 470, 229, 92, 39]     # [S, HO] Met headcount by rank, Mar 2006
ETH = ["White", "Black", "Asian", "Mixed", "Other"]

# Published rank composition, Dec 2021 [seed]; senior ranks are assumptions (see doc):
RANK_BAME = {"Sergeant": 0.100, "Inspector": 0.114,
             "Chief Inspector": 0.09, "Superintendent": 0.08,    # assumption: "under 10% of
             "Chief Superintendent": 0.07, "Chief Officer": 0.05}  # higher ranks", 4% of chief
RANK_BLACK = {"Sergeant": 0.026, "Inspector": 0.026,             # officers (2019) [S2]
              "Chief Inspector": 0.022, "Superintendent": 0.02,  # assumption: Black ~ a quarter
              "Chief Superintendent": 0.02, "Chief Officer": 0.0}  # of BAME, as all officers (22.8%, Mar 2021 [S])

# Non-Black BAME split: [HO 2004] Met officers Asian 673, Mixed 317, Chinese-or-Other 329
# (51/24/25%); 2020/21 recruits Asian 6.2% of 16% BAME less 3.3% Black = 49% [S2].
NONBLACK_SPLIT = {"Asian": 0.51, "Mixed": 0.24, "Other": 0.25}

# Women's odds relative to White by ethnicity, [HO 2004] Met all ranks:
# female share White 19.2%, Black 26.0%, Asian 13.7%, Mixed 23.3%, Other 17.9%.
def odds(p): return p / (1 - p)
W_OR = {"White": 1.0, "Black": odds(.260) / odds(.192), "Asian": odds(.137) / odds(.192),
        "Mixed": odds(.233) / odds(.192), "Other": odds(.179) / odds(.192)}

# ---------------------------------------------------------------- intake history (assumption)
# Officers with s completed years at Dec 2021 joined in the 12 months ending Dec(2021-s).
# [S2]: a normal year's intake ~1,800, uplift years near 3,000.  s=0,1 uplift; s=2 straddles
# the uplift's start (Sep 2019); earlier cohorts "normal", scaled so the total is 33,077.
def intake(k_old):
    I = np.full(MAX_SERVICE, 1800.0 * k_old)
    I[0], I[1], I[2] = 3000.0, 3000.0, 2200.0
    return I

# ---------------------------------------------------------------- leaving shape (JL6)
# [S] England & Wales leavers by length of service (HO table JL6), 2023/24 and 2024/25.
JL6_BANDS = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 9), (10, 14), (15, 19), (20, 24),
             (25, 29), (30, MAX_SERVICE - 1)]
JL6 = np.array([[1495, 1082, 606, 484, 297, 674, 393, 749, 1028, 1289, 1139],
                [930, 1011, 637, 446, 407, 839, 372, 760, 1235, 1202, 1148]], float)
JL6_SHARE = (JL6 / JL6.sum(axis=1, keepdims=True)).mean(axis=0)
OVERALL_LEAVING = 0.06              # [S] ~6% a year (6.6% 2022/23, 6.2% 2023/24); 2021/22 5.9% [S]

def band_of(s):
    for i, (a, b) in enumerate(JL6_BANDS):
        if a <= s <= b: return i

def survival(h):
    """Expected fraction of a cohort present with s completed years (mid-year of joining)."""
    hs = np.array([h[band_of(s)] for s in S])
    surv = np.ones(MAX_SERVICE)
    for s in range(1, MAX_SERVICE):
        surv[s] = surv[s - 1] * (1 - hs[s - 1])
    return surv * np.sqrt(1 - hs), hs

# England & Wales joiners (FTE, excluding transfers) by financial year ending March [S, HO
# Police workforce bulletins 2020, 2022, 2023, 2024]; 2018/19 is an assumption (before the
# uplift, below 2019/20's record).  Used only for the exposure of the first five JL6 bands.
EW_JOINERS = {2019: 9000, 2020: 12883, 2021: 12127, 2022: 12789, 2023: 16328, 2024: 9479}
EW_HEADCOUNT = 150540               # [S] 147,434 FTE (Mar 2023), 147,746 (Mar 2024); x1.02 headcount
JL6_2324 = JL6[0]

def ew_early_hazards():
    """Hazards for service years 0..4 in England & Wales 2023/24: JL6 leavers / exposure, the
    exposure of band b being the mean of the two joiner cohorts that pass through it during the
    year, times survival to it (fixed point because survival uses the hazards)."""
    h = np.zeros(5); surv = 1.0; expo = np.zeros(5)
    for b in range(5):
        J = 0.5 * (EW_JOINERS[2024 - b] + EW_JOINERS[2023 - b])
        hb = 0.05
        for _ in range(100):
            hb = JL6_2324[b] / (J * surv * (1 - hb / 2))
        h[b] = hb; expo[b] = J * surv * (1 - hb / 2); surv *= (1 - hb)
    return h, expo

def fit_stock_and_hazards():
    """Leaving hazards by JL6 band.  Bands 0-4: England & Wales 2023/24 hazards (above).  Bands
    5+: JL6 2023/24 leavers over the E&W stock with 5+ years (headcount less the early-band
    exposure), spread over the bands in the shape of the Met stock (assumption: E&W's stock
    by service is not in our sources).  Then one factor scales all bands so that the Met's
    expected leaving in its first year is 6%.  The Met stock itself is intake history x
    survival under these hazards, so this is a fixed point."""
    h_early, expo = ew_early_hazards()
    late_stock_ew = EW_HEADCOUNT - expo.sum()
    h = np.concatenate([h_early, np.full(6, 0.05)])
    c = 1.0
    for _ in range(500):
        surv, _ = survival(h)
        base = intake(1.0) * surv
        old = np.arange(MAX_SERVICE) >= 3
        k = (TOTAL - base[~old].sum()) / base[old].sum()
        stock = base.copy(); stock[old] *= k
        band_stock = np.array([stock[a:b + 1].sum() for a, b in JL6_BANDS])
        late_shape = band_stock[5:] / band_stock[5:].sum()
        raw = np.concatenate([h_early, JL6_2324[5:] / (late_stock_ew * late_shape)])
        c = OVERALL_LEAVING * TOTAL / (band_stock * raw).sum()
        h_new = np.minimum(raw * c, 0.95)
        if np.max(np.abs(h_new - h)) < 1e-12: break
        h = h_new
    print("E&W early-band hazards 2023/24:", np.round(h_early, 4), " late E&W stock", round(late_stock_ew),
          " scale to Met 6%:", round(c, 4))
    return stock, h, k

# ---------------------------------------------------------------- cohort composition
# BAME share by cohort, [S] MPA March 2010: 15.5% of officers with up to 5 years' service,
# 10.2% with 6-10, 5.0% with more than 10.  Those officers have 11-16, 17-21 and 22+ years
# at Dec 2021.  Recent recruits: 16% in 2020/21 [S2], 23% in 2021/22 [seed]; the s=0 cohort
# (Dec 2020-Nov 2021) straddles both.  s=2..10 (joined 2011-2019): solved so the total is 5,370.
def cohort_profile(s0, s1, joined_2011_2019, bands_2010):
    """A share by years of service at Dec 2021: the two newest cohorts, the 2011-2019 cohorts,
    then the 2010 service bands (<=5, 6-10, >10 years then = 11-16, 17-21, 22+ now)."""
    c = np.empty(MAX_SERVICE)
    c[0], c[1] = s0, s1
    c[2:11] = joined_2011_2019
    c[11:17], c[17:22], c[22:] = bands_2010
    return c

def cohort_bame(x):
    return cohort_profile(0.20, 0.16, x, (0.155, 0.102, 0.050))

# Black as a fraction of BAME by cohort: recent recruits 4.4/23 = 19% (2021/22 [seed]) and
# 3.3/16 = 21% (2020/21 [S2]); [HO 2004] Met officers 668/1,987 = 34% for the oldest cohorts.
# Linear in between (assumption); the oldest level is solved so Black totals 1,188.
def cohort_black_frac(old):
    f = np.empty(MAX_SERVICE)
    f[0:2] = 0.20
    for s in range(2, 22):
        f[s] = 0.20 + (old - 0.20) * (s - 1) / 21
    f[22:] = old
    return f

# Women by cohort, [S] MPA March 2010: 35.7% (<=5 years), 23.1% (6-10), 15.9% (>10);
# recent recruits 36.8% (Apr 2020-Jun 2021 [S2]) and the 40% aim from 2021 [seed].
# s=2..10 solved so women total WOMEN_TOTAL.
def cohort_women(x):
    return cohort_profile(0.38, 0.368, x, (0.357, 0.231, 0.159))

def bisect(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) > 0: hi = mid
        else: lo = mid
    return (lo + hi) / 2

# ---------------------------------------------------------------- ranks by service
# Share of officers with s years' service who hold rank r or above: a logistic in s centred
# on the median service at promotion into r ([S] Winsor 2012: Sergeant ~10, Inspector +7,
# Chief Inspector +2, Superintendent +4; above that assumption +2, +3), width 3 years
# (assumption), with a plateau scaled so each rank has its headcount.
MEDIAN_PROMO = [None, 10, 17, 19, 23, 25, 28]
# Minimum years of service to be eligible for promotion into each rank (chosen so that the
# median service of the eligible pool is near the medians above; see the printed table)
MIN_SERVICE = [None, 2, 7, 12, 16, 18, 23]
WIDTH = 3.0

def rank_headcounts():
    w = np.array(SHAPE_2006, float) / sum(SHAPE_2006)
    return hamilton(TOTAL, w)

def hamilton(n, w):
    w = np.asarray(w, float); w = w / w.sum()
    raw = n * w
    out = np.floor(raw).astype(int)
    rem = raw - out
    for i in np.argsort(-rem, kind="stable")[: n - out.sum()]:
        out[i] += 1
    return out

def rank_service(stock, heads):
    R = len(RANKS)
    at_least = np.zeros((R, MAX_SERVICE))
    at_least[0] = 1.0
    for r in range(R - 1, 0, -1):
        shape = 1 / (1 + np.exp(-(S - MEDIAN_PROMO[r] - 0.5) / WIDTH))
        need = heads[r:].sum()
        cap = at_least[r + 1] if r + 1 < R else np.zeros(MAX_SERVICE)
        # plateau A so that sum stock*A*shape = headcount of ranks >= r, kept below rank r-1's
        A = need / (stock * shape).sum()
        at_least[r] = np.maximum(A * shape, cap)
    dist = np.zeros((R, MAX_SERVICE))
    for r in range(R):
        upper = at_least[r + 1] if r + 1 < R else 0
        dist[r] = stock * (at_least[r] - upper)
    # exact rank totals: rescale each rank's profile to its headcount
    for r in range(R):
        dist[r] *= heads[r] / dist[r].sum()
    return dist

def main():
    write = "--write" in sys.argv
    stock, h, k_old = fit_stock_and_hazards()
    print("pre-uplift cohort scale k =", round(k_old, 3), "-> normal intake", round(1800 * k_old))
    print("leaving hazards by JL6 band:", [round(x, 4) for x in h])
    heads = rank_headcounts()
    print("rank headcounts:", dict(zip(RANKS, heads.tolist())))

    # cohort composition
    x = bisect(lambda x: (stock * cohort_bame(x)).sum() - BAME_TOTAL, 0.0, 0.6)
    c = cohort_bame(x)
    print("BAME share of cohorts s=2..10 (joined 2011-2019):", round(x, 4))
    old = bisect(lambda o: (stock * c * cohort_black_frac(o)).sum() - BLACK_TOTAL, 0.0, 1.0)
    fb = cohort_black_frac(old)
    print("Black fraction of BAME, oldest cohorts:", round(old, 4))
    wx = bisect(lambda w: (stock * cohort_women(w)).sum() - WOMEN_TOTAL, 0.0, 0.9)
    wom = cohort_women(wx)
    print("women share of cohorts s=2..10:", round(wx, 4))

    # ethnicity shares per cohort
    comp = np.zeros((5, MAX_SERVICE))
    comp[1] = c * fb
    for j, e in enumerate(ETH[2:], start=2):
        comp[j] = c * (1 - fb) * NONBLACK_SPLIT[e]
    comp[0] = 1 - c

    dist = rank_service(stock, heads)
    # rank x ethnicity x service: P(e | r, s) proportional to comp(e, s) * rho[r, e]
    # (rho = relative attainment odds of the rank, solved to match the published shares)
    R = len(RANKS)
    rho = np.ones((R, 5))
    cells = np.zeros((R, 5, MAX_SERVICE))
    for r in range(1, R):
        tb, tk = RANK_BAME[RANKS[r]], RANK_BLACK[RANKS[r]]
        def shares(rb, rk):
            wgt = comp * np.array([1, rk, rb, rb, rb])[:, None]
            p = wgt / wgt.sum(axis=0, keepdims=True)
            n = p * dist[r]
            return n[1:].sum() / heads[r], n[1].sum() / heads[r], n
        rb = 1.0; rk = 1.0
        for _ in range(100):
            # non-Black BAME odds from the BAME target less Black, Black odds from Black target
            rb = bisect(lambda v: (shares(v, rk)[0] - shares(v, rk)[1]) - (tb - tk), 0.0, 20)
            if tk > 0:
                rk = bisect(lambda v: shares(rb, v)[1] - tk, 0.0, 20)
            else:
                rk = 0.0
        _, _, n = shares(rb, rk)
        rho[r] = [1, rk, rb, rb, rb]
        cells[r] = n
    cells[0] = stock * comp - cells[1:].sum(axis=0)
    assert (cells[0] > -1e-9).all(), "constable residual negative"
    for r in range(R):
        tot = cells[r].sum()
        print(f"{RANKS[r]:22s} n={tot:8.1f} BAME={cells[r,1:].sum()/tot:.4f} "
              f"Black={cells[r,1].sum()/tot:.4f}  odds BAME(non-Black)={rho[r,2]:.3f} Black={rho[r,1]:.3f}")

    # promotion odds (vacancy weights) into rank r: odds of the group's share in rank r over
    # its odds in the eligible pool (rank r-1 with at least MIN_SERVICE[r] years), separately
    # for Black and for Asian/Mixed/Other, each against White
    # second estimator: rank-vs-cohort attainment odds (rho above) of rank r over that of rank
    # r-1; the constables' own rho is their share against the cohort shares
    con_rho = np.array([cells[0, j].sum() / (comp[j] * cells[0].sum(axis=0)).sum() for j in range(5)])
    rho[0] = con_rho / con_rho[0]
    for r in range(1, R):
        print(f"cohort-based odds into {RANKS[r]:21s} Black {rho[r,1]/rho[r-1,1] if rho[r-1,1] else 0:.3f}"
              f"  Asian/Mixed/Other {rho[r,2]/rho[r-1,2]:.3f}")
    for r in range(1, R):
        pool = cells[r - 1].copy(); pool[:, :MIN_SERVICE[r]] = 0
        ps = pool.sum(axis=1) / pool.sum(); rs = cells[r].sum(axis=1) / cells[r].sum()
        ob = (rs[1] / rs[0]) / (ps[1] / ps[0]); oa = (rs[2:].sum() / rs[0]) / (ps[2:].sum() / ps[0])
        print(f"promotion into {RANKS[r]:21s} pool BAME {ps[1:].sum():.4f} Black {ps[1]:.4f} -> rank BAME "
              f"{rs[1:].sum():.4f} Black {rs[1]:.4f}; odds Black {ob:.3f}, Asian/Mixed/Other {oa:.3f}")

    # women within cohort and ethnicity: P(F|e,s) = logistic(logit a_s + log OR_e), a_s solved
    # so that the cohort's women share is wom[s]
    fem = np.zeros((5, MAX_SERVICE))
    for s in range(MAX_SERVICE):
        def tot(a):
            return sum(comp[j, s] * (odds(a) * W_OR[e]) / (1 + odds(a) * W_OR[e]) for j, e in enumerate(ETH)) - wom[s]
        a = bisect(tot, 1e-6, 1 - 1e-6)
        for j, e in enumerate(ETH):
            o = odds(a) * W_OR[e]; fem[j, s] = o / (1 + o)
    # women by rank: within a cohort, rank independent of gender (assumption; see doc)

    # integer cells by Hamilton's rule, hierarchically like the engine's marginal split: rank ->
    # ethnicity (rank totals exact), -> gender, -> years of service
    rows = []
    for r in range(R):
        n_e = hamilton(int(heads[r]), cells[r].sum(axis=1))
        for j, e in enumerate(ETH):
            if n_e[j] == 0: continue
            pf = (cells[r, j] * fem[j]).sum() / cells[r, j].sum()
            n_g = hamilton(int(n_e[j]), [pf, 1 - pf])
            for gi, (g, gp) in enumerate((("Female", fem[j]), ("Male", 1 - fem[j]))):
                if n_g[gi] == 0: continue
                counts = hamilton(int(n_g[gi]), cells[r, j] * gp)
                for s, n in enumerate(counts):
                    if n > 0: rows.append((RANKS[r], e, g, s, int(n)))
    # report
    import collections
    agg = collections.Counter()
    for rk, e, g, s, n in rows:
        agg[("all",)] += n
        if e != "White": agg[("BAME",)] += n
        if e == "Black": agg[("Black",)] += n
        if g == "Female": agg[("Female",)] += n
        agg[(rk,)] += n
        if e != "White": agg[(rk, "BAME")] += n
        if e == "Black": agg[(rk, "Black")] += n
        if g == "Female": agg[(rk, "Female")] += n
        agg[("eth", e)] += n
        agg[("eth", e, g)] += n
    print("totals:", agg[("all",)], "BAME", agg[("BAME",)], "Black", agg[("Black",)], "women", agg[("Female",)])
    for rk in RANKS:
        print(f"  {rk:22s} {agg[(rk,)]:6d} BAME {agg[(rk,'BAME')]:5d} ({agg[(rk,'BAME')]/agg[(rk,)]:.3%}) "
              f"Black {agg[(rk,'Black')]:4d} ({agg[(rk,'Black')]/agg[(rk,)]:.3%}) women {agg[(rk,'Female')]/agg[(rk,)]:.3%}")
    for e in ETH:
        print(f"  {e:6s} {agg[('eth',e)]:6d} women {agg[('eth',e,'Female')]/agg[('eth',e)]:.3%}")
    # service profile summaries
    bands = [(0, 4), (5, 9), (10, 19), (20, 29), (30, 39)]
    for r in range(R):
        tot = cells[r].sum()
        prof = [cells[r, :, a:b + 1].sum() / tot for a, b in bands]
        bprof = [cells[r, 1:, a:b + 1].sum() / cells[r, 1:].sum() for a, b in bands]
        print(f"  service {RANKS[r]:22s} all " + " ".join(f"{p:.3f}" for p in prof)
              + " | BAME " + " ".join(f"{p:.3f}" for p in bprof))
    # median service of the eligible pool for candidate minimum services
    con = cells[0].sum(axis=0)
    for m in range(2, 9):
        pool = con.copy(); pool[:m] = 0
        cdf = np.cumsum(pool) / pool.sum()
        print(f"  Sergeant min_service {m}: median service of eligible constables {np.searchsorted(cdf, 0.5)}")
    for rr, lo in ((1, 4), (2, 12), (3, 15), (4, 18), (5, 20)):
        for m in range(lo, lo + 8):
            pool = cells[rr].sum(axis=0).copy(); pool[:m] = 0
            cdf = np.cumsum(pool) / pool.sum()
            print(f"  into {RANKS[rr+1]} min_service {m}: median {np.searchsorted(cdf, 0.5)}", end=";")
        print()
    # crude leaving rates by group under the hazards
    hs = np.array([h[band_of(s)] for s in S])
    wastage = S < 25
    for mult in (1.0, 1.2, 1.3, 1.4, 1.5):
        hb = np.where(wastage, hs * mult, hs)
        white = cells[:, 0].sum(axis=0); bame = cells[:, 1:].sum(axis=(0, 1))
        rw = (white * hs).sum() / white.sum(); rb = (bame * hb).sum() / bame.sum()
        ww = (white * hs * wastage).sum() / (white * wastage).sum()
        wb = (bame * hb * wastage).sum() / (bame * wastage).sum()
        crude_w = (white * hs * wastage).sum() / white.sum(); crude_b = (bame * hb * wastage).sum() / bame.sum()
        print(f"  BAME wastage multiplier {mult}: leaving White {rw:.4f} BAME {rb:.4f} (ratio {rb/rw:.3f}); "
              f"non-retirement per officer White {crude_w:.4f} BAME {crude_b:.4f} ratio {crude_b/crude_w:.3f}")
    # final tables: BAME wastage multiplier M_BAME on bands under 25 years (assumption chosen
    # between the evidence: see doc), then one factor so the whole force leaves at 6%
    M_BAME = 1.3
    hb = np.where(wastage, hs * M_BAME, hs)
    white = cells[:, 0].sum(axis=0); bame = cells[:, 1:].sum(axis=(0, 1))
    f = OVERALL_LEAVING * TOTAL / ((white * hs).sum() + (bame * hb).sum())
    print("final scale", round(f, 4))
    print("leaving rates (all):  ", [round(x * f, 4) for x in h])
    print("leaving rates (BAME): ", [round(x * f * (M_BAME if JL6_BANDS[i][1] < 25 else 1), 4) for i, x in enumerate(h)])
    print(f"  -> White {(white*hs).sum()*f/white.sum():.4f} BAME {(bame*hb).sum()*f/bame.sum():.4f}")
    if write:
        with open("Scenarios/data/met-2021-12-initial.csv", "w") as f:
            f.write("rank,ethnicity,gender,service,headcount\n")
            for row in rows:
                f.write(",".join(str(v) for v in row) + "\n")
        print("wrote Scenarios/data/met-2021-12-initial.csv", len(rows), "rows")

if __name__ == "__main__":
    main()
