// Charts of research results, drawn by gnuplot (Debian's gnuplot-nox; headless).
#pragma once

#include <string>

#include "schema/status.h"
#include "searcher/research.h"

namespace dossier::searcher {

struct PlotOptions {
  std::string title;     // the chart's title (e.g. with the query); plain text
  std::string y_label = "articles";  // what is counted
  std::string gnuplot = "gnuplot";   // the program, looked up in PATH
};

// Draws `h` into `path`: SVG when it ends in ".svg", PNG (gnuplot's cairo terminal) when
// ".png". One series is drawn as bars, several as lines with a legend; the x axis is labelled
// with the periods (every k-th label when there are many), the y axis with `y_label`; undated
// matches are left out of the chart and said so in the title. Returns InvalidArgument for
// another extension, NotFound when gnuplot is not installed, IOError when it fails (its
// message included). `path` is written only by gnuplot; temporary files are removed.
Status PlotHistogram(const Histogram& h, const PlotOptions& options, const std::string& path);

}  // namespace dossier::searcher
