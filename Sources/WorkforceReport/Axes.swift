import Foundation
import Workforce

/// A linear map from data values to drawing coordinates.
struct Scale {
    var domain: (Double, Double)
    var range: (Double, Double)

    func callAsFunction(_ v: Double) -> Double {
        let span = domain.1 - domain.0
        guard span != 0 else { return range.0 }
        return range.0 + (v - domain.0) / span * (range.1 - range.0)
    }
}

/// Axis ticks: round steps (1, 2, 2.5 or 5 × 10ᵏ) and their labels.
enum Ticks {
    /// A round step that splits `span` into about `count` intervals.
    static func step(_ span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        for m in [1, 2, 2.5, 5, 10] where m * magnitude >= raw * 0.999 { return m * magnitude }
        return 10 * magnitude
    }

    /// Ticks from 0 up to the first multiple of the step at or above `maximum` (a zero-based axis).
    static func fromZero(_ maximum: Double, count: Int = 5) -> [Double] {
        let top = maximum > 0 && maximum.isFinite ? maximum : 1
        let s = step(top, count: count)
        let n = Int((top / s - 1e-9).rounded(.up))
        return (0...max(1, n)).map { Double($0) * s }
    }

    /// Ticks covering `lo...hi` and zero, at round steps (for signed changes).
    static func covering(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
        let a = min(lo, 0), b = max(hi, 0)
        let s = step(b - a > 0 ? b - a : 1, count: count)
        let first = Int((a / s + 1e-9).rounded(.down)), last = Int((b / s - 1e-9).rounded(.up))
        return (first...max(first + 1, last)).map { Double($0) * s }
    }

    /// A tick label: `percent` shows a share as a percentage (`0.05` → `5%`), `signed` a change
    /// of a share in percentage points (`0.005` → `+0.5`), with as many decimals as the step needs.
    static func label(_ v: Double, step: Double, percent: Bool, signed: Bool = false) -> String {
        let scaled = percent ? v * 100 : v
        let scaledStep = percent ? step * 100 : step
        var decimals = 0
        while decimals < 4 && abs(scaledStep * pow(10, Double(decimals)) - (scaledStep * pow(10, Double(decimals))).rounded()) > 1e-6 {
            decimals += 1
        }
        var text = String(format: "%.\(decimals)f", abs(scaled) < 1e-12 ? 0 : scaled)
        if text.hasPrefix("-") { text = "−" + text.dropFirst() } else if signed && scaled > 1e-12 { text = "+" + text }
        return text + (percent && !signed ? "%" : "")  // signed changes: the axis title gives the unit (pp)
    }

    /// Time ticks at the start month and its anniversaries, at most `maximum` of them (every
    /// second or fifth year when the run is long).
    static func anniversaries(from start: Month, to end: Month, maximum: Int = 10) -> [Month] {
        let years = (end - start) / 12
        let every = [1, 2, 5, 10, 20, 50].first { years / $0 + 1 <= maximum } ?? 100
        return stride(from: 0, through: years, by: every).map { start + 12 * $0 }
    }
}

/// A plot area of a chart and the axes drawn around it.
struct PlotArea {
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Horizontal grid lines and labels for `ticks` on the y axis, a baseline at the lowest
    /// tick, and the y axis title rotated along the left edge.
    func yAxis(_ svg: inout SVG, ticks: [Double], scale: Scale, percent: Bool, title: String, size: Double = 11) {
        let size = svg.fontSize(size)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        for t in ticks {
            let y = scale(t)
            svg.line(left, y, right, y, stroke: abs(t) < 1e-12 ? "#333333" : "#DDDDDD", width: abs(t) < 1e-12 ? 1 : 0.8)
            svg.text(left - 6, y + size * 0.35, Ticks.label(t, step: step, percent: percent), anchor: .end, size: size)
        }
        if !title.isEmpty { svg.text(14, top + height / 2, title, anchor: .middle, size: size, rotate: true) }
    }

    /// The time axis: a tick and a label (`Dec 2024`) at each month, and the axis title. When
    /// the labels (at their printed size) would run into each other, every second, third, fifth
    /// or tenth month keeps its tick and label, the first always.
    func timeAxis(_ svg: inout SVG, months: [Month], scale: Scale, title: String, size: Double = 11) {
        let size = svg.fontSize(size)
        svg.line(left, bottom, right, bottom, stroke: "#333333")
        let room = svg.textWidth("Mmm 0000", size: size) + 10
        let gap = months.count > 1 ? abs(scale(Double(months[1].index)) - scale(Double(months[0].index))) : .infinity
        let every = [1, 2, 3, 5, 10].first { gap * Double($0) >= room } ?? 20
        for m in stride(from: 0, to: months.count, by: every).map({ months[$0] }) {
            let x = scale(Double(m.index))
            svg.line(x, bottom, x, bottom + 4, stroke: "#333333")
            svg.text(x, bottom + 6 + size, Dates.long(m), anchor: .middle, size: size)
        }
        if !title.isEmpty { svg.text(left + width / 2, bottom + 12 + 2 * size, title, anchor: .middle, size: size) }
    }
}
