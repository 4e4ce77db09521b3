#include "sim/report.hpp"

#include "protocol/json_writer.hpp"

#include <algorithm>
#include <cstdio>

namespace mcp::sim {

namespace {

void write_counters(protocol::json_writer& w, const network_counters& c) {
  auto n = [&](const char* key, std::uint64_t v) {
    w.key(key).integer(static_cast<std::int64_t>(v));
  };
  w.begin_object();
  n("calls", c.calls);
  n("cuts", c.cuts);
  n("idle_cuts", c.idle_cuts);
  n("drops", c.drops);
  n("duplicates", c.duplicates);
  n("reorders", c.reorders);
  n("refused", c.refused);
  n("resumptions", c.resumptions);
  n("replayed_events", c.replayed_events);
  w.end_object();
}

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

} // namespace

std::string hex(std::uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string report_json(const run_result& r) {
  protocol::json_writer w;
  w.begin_object();
  w.key("scenario").string(r.scenario);
  w.key("seed").integer(static_cast<std::int64_t>(r.seed));
  w.key("ok").boolean(r.ok());
  w.key("trace_hash").string(hex(r.trace_hash));
  w.key("virtual_ms").integer(r.virtual_ms);
  w.key("faults_end_ms").integer(r.faults_end_ms);
  w.key("wall_ms").number(r.wall_ms);
  w.key("counters");
  write_counters(w, r.counters);
  w.key("violations").begin_array();
  for (auto& v : r.violations)
    w.string(v);
  w.end_array();
  w.key("faults").begin_array();
  for (auto& f : r.faults)
    w.raw(to_json(f));
  w.end_array();
  w.key("clients").begin_array();
  for (auto& c : r.clients) {
    w.begin_object();
    w.key("client").string(c.label);
    w.key("calls_ok").integer(c.calls_ok);
    w.key("calls_failed").integer(c.calls_failed);
    w.key("calls_lost").integer(c.calls_lost);
    w.key("initialize_retries").integer(c.initialize_retries);
    w.key("progress_seen").integer(c.progress_seen);
    w.key("progress_expected").integer(c.progress_expected);
    w.key("notifications").integer(c.notifications);
    w.key("sessions_replaced").integer(c.sessions_replaced);
    w.key("restarts").integer(c.restarts);
    w.key("recovery_ms").integer(c.recovery_ms);
    w.key("timeline").begin_array();
    for (auto& e : c.timeline) {
      w.begin_object().key("at_ms").integer(e.at_ms).key("what").string(e.what);
      if (!e.detail.empty())
        w.key("detail").string(e.detail);
      if (e.length_ms > 0)
        w.key("length_ms").integer(e.length_ms);
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string report_html(const run_result& r, const scenario& s) {
  constexpr double left = 70, width = 1100, row = 26, top = 30;
  auto span = static_cast<double>(std::max<std::int64_t>(r.virtual_ms, 1));
  auto x = [&](std::int64_t t) { return fixed(left + width * static_cast<double>(t) / span); };
  auto w = [&](std::int64_t d) {
    return fixed(std::max(1.5, width * static_cast<double>(d) / span));
  };
  auto height = top + row * static_cast<double>(r.clients.size()) + 30;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + fixed(left + width + 20) +
                    "' height='" + fixed(height) + "' font-family='sans-serif' font-size='11'>";
  // Timed faults as bands across all clients (client crashes on their own row).
  for (auto& f : r.timed_faults()) {
    if (f.what == fault::kind::client_crash) {
      svg += "<rect x='" + x(f.at_ms) + "' y='" + fixed(top + row * f.client) + "' width='" +
             w(f.for_ms) + "' height='" + fixed(row - 4) +
             "' fill='#f4b4b4'><title>client crash, down " + std::to_string(f.for_ms) +
             " ms</title></rect>";
      continue;
    }
    auto colour = f.what == fault::kind::partition ? "#d8d8d8" : "#f8c8c8";
    svg += "<rect x='" + x(f.at_ms) + "' y='" + fixed(top - 10) + "' width='" +
           w(std::max<std::int64_t>(f.for_ms, 1)) + "' height='" + fixed(height - top - 10) +
           "' fill='" + colour + "'><title>" + fault_name(f.what) + " at " +
           std::to_string(f.at_ms) + " ms for " + std::to_string(f.for_ms) + " ms</title></rect>";
  }
  svg += "<line x1='" + x(r.faults_end_ms) + "' x2='" + x(r.faults_end_ms) + "' y1='" +
         fixed(top - 14) + "' y2='" + fixed(height - 20) +
         "' stroke='#2a2' stroke-dasharray='4 3'><title>faults end</title></line>";
  for (std::size_t i = 0; i < r.clients.size(); ++i) {
    auto& c = r.clients[i];
    auto y = top + row * static_cast<double>(i);
    svg += "<text x='4' y='" + fixed(y + 14) + "'>" + escape_html(c.label) + "</text>";
    for (auto& e : c.timeline) {
      auto title = "<title>" + std::to_string(e.at_ms) + " ms: " + escape_html(e.what) +
                   (e.detail.empty() ? "" : " " + escape_html(e.detail)) +
                   (e.length_ms > 0 ? " (" + std::to_string(e.length_ms) + " ms)" : "") +
                   "</title>";
      if (e.what == "call" || e.what == "failed" || e.what == "initialized") {
        auto colour = e.what == "failed" ? "#d33" : e.what == "call" ? "#4a7fd0" : "#8ab";
        svg += "<rect x='" + x(e.at_ms) + "' y='" + fixed(y + 4) + "' width='" + w(e.length_ms) +
               "' height='" + fixed(row - 12) + "' fill='" + colour + "' opacity='0.7'>" + title +
               "</rect>";
      } else {
        auto colour = e.what == "resume"      ? "#e90"
                      : e.what == "cut"       ? "#c00"
                      : e.what == "replaced"  ? "#829"
                      : e.what == "recovered" ? "#2a2"
                                              : "#555";
        svg += "<circle cx='" + x(e.at_ms) + "' cy='" + fixed(y + row / 2 - 2) +
               "' r='3.5' fill='" + colour + "'>" + title + "</circle>";
      }
    }
  }
  for (int i = 0; i <= 10; ++i) {
    auto t = static_cast<std::int64_t>(span * i / 10);
    svg += "<text x='" + x(t) + "' y='" + fixed(height - 6) + "' text-anchor='middle'>" +
           std::to_string(t) + " ms</text>";
  }
  svg += "</svg>";

  std::string html =
      "<!doctype html><html><head><meta charset='utf-8'><title>mcp-sim " + escape_html(r.scenario) +
      " seed " + std::to_string(r.seed) +
      "</title><style>body{font-family:sans-serif;margin:20px}td,th{padding:2px "
      "8px;text-align:right}th{text-align:left}.bad{color:#c00}</style></head><body>";
  html += "<h1>" + escape_html(r.scenario) + ", seed " + std::to_string(r.seed) + ": " +
          (r.ok() ? "passed" : "<span class='bad'>failed</span>") + "</h1>";
  html += "<p>" + escape_html(s.about) + "</p>";
  html += "<p>Virtual time " + std::to_string(r.virtual_ms) + " ms (faults end at " +
          std::to_string(r.faults_end_ms) + " ms), wall time " + fixed(r.wall_ms) +
          " ms, trace hash " + hex(r.trace_hash) + ".</p>";
  if (!r.violations.empty()) {
    html += "<h2 class='bad'>Violations</h2><ul>";
    for (auto& v : r.violations)
      html += "<li>" + escape_html(v) + "</li>";
    html += "</ul>";
  }
  html += "<h2>Timeline</h2><p>Bars: calls (blue), failed calls (red), initialize (grey-blue). "
          "Dots: cut (red), resume (orange), session replaced (purple), recovered (green). Bands: "
          "partition (grey), server or client crash (pink). Dashed line: faults end. Hover for "
          "details.</p>" +
          svg;
  html += "<h2>Clients</h2><table><tr><th>client</th><th>ok</th><th>failed</th><th>lost in "
          "transit</th><th>progress</th><th>updates</th><th>replaced</th><th>restarts</th>"
          "<th>recovery ms</th></tr>";
  for (auto& c : r.clients)
    html += "<tr><th>" + escape_html(c.label) + "</th><td>" + std::to_string(c.calls_ok) +
            "</td><td>" + std::to_string(c.calls_failed) + "</td><td>" +
            std::to_string(c.calls_lost) + "</td><td>" + std::to_string(c.progress_seen) + "/" +
            std::to_string(c.progress_expected) + "</td><td>" + std::to_string(c.notifications) +
            "</td><td>" + std::to_string(c.sessions_replaced) + "</td><td>" +
            std::to_string(c.restarts) + "</td><td>" + std::to_string(c.recovery_ms) + "</td></tr>";
  html += "</table><h2>Network</h2><pre>";
  auto& n = r.counters;
  html += "calls " + std::to_string(n.calls) + ", cuts " + std::to_string(n.cuts) + ", idle cuts " +
          std::to_string(n.idle_cuts) + ", drops " + std::to_string(n.drops) + ", duplicates " +
          std::to_string(n.duplicates) + ", reorders " + std::to_string(n.reorders) + ", refused " +
          std::to_string(n.refused) + ", resumptions " + std::to_string(n.resumptions) +
          ", replayed events " + std::to_string(n.replayed_events) + "</pre></body></html>\n";
  return html;
}

} // namespace mcp::sim
