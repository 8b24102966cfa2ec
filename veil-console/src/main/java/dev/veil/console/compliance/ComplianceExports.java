package dev.veil.console.compliance;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The report as CSV (Apache Commons CSV; one row per shared item, cells that a spreadsheet would read as a
 * formula are prefixed with an apostrophe) and as PDF (openhtmltopdf, from the report's print XHTML, with the
 * PDF's built-in fonts and no external resources). Thread-safe.
 */
public final class ComplianceExports {

    static {
        // openhtmltopdf logs every font and layout step through java.util.logging; the report needs none of it.
        XRLog.setLoggingEnabled(false);
    }

    private static final String[] HEADER = {
        "destination_id",
        "destination",
        "connector",
        "baa",
        "enabled",
        "category",
        "applies_to",
        "field",
        "treatment",
        "reason",
        "since_version",
        "since",
        "approval"
    };

    private ComplianceExports() {}

    public static String csv(ComplianceReport r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(
                out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (ComplianceReport.Section s : r.destinations()) {
                for (ComplianceReport.Shared i : s.shared()) {
                    p.printRecord(
                            cell(s.id()),
                            cell(s.name()),
                            cell(s.type()),
                            s.baa() ? "yes" : "no",
                            s.enabled() ? "yes" : "no",
                            cell(i.category()),
                            cell(i.appliesTo()),
                            cell(i.field()),
                            cell(i.treatment()),
                            cell(i.reason()),
                            i.since().version(),
                            i.since().at() == null ? "" : i.since().at().toString(),
                            cell(i.since().approval()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Spreadsheets run cells starting with these as formulas (CSV injection); an apostrophe makes them text. */
    private static String cell(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }

    /** Renders well-formed XHTML (the report's print template) to PDF. */
    public static byte[] pdf(String xhtml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PdfRendererBuilder b = new PdfRendererBuilder();
            b.useFastMode();
            b.withHtmlContent(xhtml, null);
            b.toStream(out);
            b.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
