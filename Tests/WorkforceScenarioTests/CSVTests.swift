import WorkforceFormats
import Testing
import WorkforceScenario

/// The one CSV reader and writer: RFC 4180 both ways.
@Suite struct CSVTests {
    /// Whatever the writer writes, header included, the reader reads back field for field:
    /// commas, doubled quotes, line breaks, leading spaces and empty fields.
    @Test func whatIsWrittenIsReadBack() throws {
        let header = ["target", "BAME 21%, officers: p5", #"say "hi""#]
        let rows = [["a,b", #""quoted""#, "two\nlines"], ["", "  spaced", "\r\n"], ["1", "2", "3"]]
        let text = CSVWriter.table(header, rows)
        let table = try CSVTable(parsing: text, file: "t.csv")
        #expect(table.header.map(\.text) == header)
        #expect(table.rows.map { $0.map(\.text) } == rows)
        #expect(table.rows[1][0].line == 4 && table.rows[2][0].line == 6)  // the quoted line breaks count
    }

    /// Rows of the wrong width are all reported at once, at their lines; kept when asked.
    @Test func raggedRowsAreReportedOrKept() throws {
        let text = "a,b\n1,2,3\n4\n5,6\n"
        let error = try #require(throws: InputError.self) { try CSVTable(parsing: text, file: "t.csv") }
        #expect(error.description == "t.csv:2:1: found 3 fields; expected 2, as in the header\nt.csv:3:1: found 1 fields; expected 2, as in the header")
        let kept = try CSVTable(keepingRaggedRows: text, file: "t.csv")
        #expect(kept.rows.count == 3 && kept.raggedRows.count == 2)
    }

    @Test func numbersHaveFixedDecimalsAndNA() {
        #expect(CSVWriter.number(0.1234567, 6) == "0.123457")
        #expect(CSVWriter.number(-0.0, 3) == "0.000")
        #expect(CSVWriter.number(.nan, 4) == "NA")
    }
}
