// PlotHistogram: writes the data and a gnuplot script to a temporary folder and runs gnuplot.
#include "searcher/plot.h"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace dossier::searcher {
namespace {

namespace fs = std::filesystem;

// A gnuplot single-quoted string: no escapes are interpreted except '' for a quote.
std::string GnuplotString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out + "'";
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
  return tail == suffix;
}

}  // namespace

Status PlotHistogram(const Histogram& h, const PlotOptions& options, const std::string& path) {
  std::string terminal;
  if (EndsWith(path, ".svg")) {
    terminal = "svg size 1000,560 noenhanced font 'sans,12' background rgb 'white'";
  } else if (EndsWith(path, ".png")) {
    terminal = "pngcairo size 1200,675 noenhanced font 'sans,11' background rgb 'white'";
  } else {
    return Status::InvalidArgument(fmt::format("--plot: '{}' should end in .svg or .png", path));
  }
  std::string tmpl = (fs::temp_directory_path() / "dossier-plot-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status::IOError(fmt::format("--plot: cannot make a temporary folder: {}", std::strerror(errno)));
  }
  const fs::path dir = tmpl;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};

  // One data block per series (gnuplot's "index"), rows: position, period, count.
  std::vector<std::string> series = h.by ? h.series : std::vector<std::string>{""};
  std::ostringstream data;
  size_t periods = 0;
  uint64_t undated = 0;
  for (size_t s = 0; s < series.size(); ++s) {
    size_t x = 0;
    for (const HistogramRow& r : h.rows) {
      if (r.series != series[s]) continue;
      if (r.period == kUndatedLabel) {
        undated += r.count;
        continue;
      }
      data << x++ << " \"" << r.period << "\" " << r.count << "\n";
    }
    periods = std::max(periods, x);
    data << "\n\n";
  }
  if (periods == 0) return Status::InvalidArgument("--plot: no dated matches to draw");
  {
    std::ofstream out(dir / "data.dat");
    out << data.str();
  }
  // About 30 labels at most along the x axis.
  const size_t every = std::max<size_t>(1, (periods + 29) / 30);
  std::string title = options.title;
  if (undated > 0) title += fmt::format(" ({} undated not shown)", undated);
  std::string period_name = PeriodName(h.period);
  if (h.period == Period::kWeek) period_name = "ISO week";
  std::ostringstream gp;
  gp << "set terminal " << terminal << "\n"
     << "set output " << GnuplotString(path) << "\n"
     << "set title " << GnuplotString(title) << "\n"
     << "set xlabel " << GnuplotString(period_name) << "\n"
     << "set ylabel " << GnuplotString(options.y_label) << "\n"
     << "set yrange [0:*]\nset xrange [-0.6:" << periods - 0.4 << "]\n"
     << "set grid ytics\nset xtics rotate by -45 nomirror\nset ytics nomirror\nset border 3\n"
     << "set datafile separator whitespace\n";
  const std::string xtic = fmt::format("xtic(int($1) % {} == 0 ? stringcolumn(2) : '')", every);
  const std::string data_file = GnuplotString((dir / "data.dat").string());
  if (!h.by) {
    gp << "unset key\nset style fill solid 0.8 border -1\nset boxwidth 0.8\n"
       << "plot " << data_file << " index 0 using 1:3:" << xtic << " with boxes lc rgb '#3b6ea8'\n";
  } else {
    gp << "set key outside right top title " << GnuplotString(FacetName(*h.by)) << "\n"
       << "plot ";
    for (size_t s = 0; s < series.size(); ++s) {
      if (s > 0) gp << ", ";
      gp << data_file << " index " << s << " using 1:3" << (s == 0 ? ":" + xtic : "")
         << " with linespoints lw 2 pt 7 ps 0.6 title " << GnuplotString(series[s]);
    }
    gp << "\n";
  }
  {
    std::ofstream out(dir / "chart.gp");
    out << gp.str();
  }

  const std::string script = (dir / "chart.gp").string(), log = (dir / "gnuplot.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv = {const_cast<char*>(options.gnuplot.c_str()), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid;
  int rc = posix_spawnp(&pid, options.gnuplot.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::NotFound(fmt::format(
        "--plot needs gnuplot ({}: {}); on Debian: apt-get install gnuplot-nox", options.gnuplot,
        std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in(log);
  std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      return Status::NotFound("--plot needs gnuplot; on Debian: apt-get install gnuplot-nox");
    }
    return Status::IOError(fmt::format("--plot: gnuplot failed writing '{}': {}", path, message));
  }
  std::error_code ec;
  if (!fs::exists(path, ec) || fs::file_size(path, ec) == 0) {
    return Status::IOError(fmt::format("--plot: gnuplot wrote nothing to '{}': {}", path, message));
  }
  return Status::OK();
}

}  // namespace dossier::searcher
