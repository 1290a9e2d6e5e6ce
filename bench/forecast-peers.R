# Bench peers for `switchboard forecast --backtest`: the same rolling-origin
# evaluation with R's forecast package (Hyndman), on the same origins and
# scored days. Run through bench/forecast-peers.sh (it installs R).
#
#   Rscript bench/forecast-peers.R HISTORY.csv WEEKS HORIZONS [ORIGIN_WEEKDAY]
#   e.g. Rscript bench/forecast-peers.R data/bank_calls_train.csv 10 1,7,14,21,28
#   ORIGIN_WEEKDAY: mon (default) .. fri, as `--origin-weekday`
#
# Definitions (as wfm/forecast_backtest.hpp): the last WEEKS calendar weeks
# (Monday to Sunday, up to the history's last day) are scored; a forecast is
# made every Monday from the days before it (origins with fewer than 20 days
# behind them are skipped); horizon H scores the days H-6..H days ahead
# (1..H when H < 7), the Monday being 1 day ahead. WAPE over intervals, MAPE
# of daily totals, bias = sum forecast / sum actual - 1.
#
# Each peer forecasts daily totals on a Monday-Friday series (weekdays
# missing from the history interpolated by na.interp, so the weekly season
# stays aligned); the totals are spread over the day by the mean intraday
# shares of the last 8 same weekdays before the origin.
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3 || length(args) > 4) stop("usage: forecast-peers.R HISTORY.csv WEEKS HORIZONS [ORIGIN_WEEKDAY]")
origin_wday <- match(if (length(args) == 4) args[4] else "mon", c("mon", "tue", "wed", "thu", "fri")) - 1L
if (is.na(origin_wday)) stop("ORIGIN_WEEKDAY: one of mon, tue, wed, thu, fri")
weeks <- as.integer(args[2])
horizons <- as.integer(strsplit(args[3], ",")[[1]])

raw <- read.csv(args[1], stringsAsFactors = FALSE)
raw$day <- as.Date(substr(raw$timestamp, 1, 10))
days <- sort(unique(raw$day))
calls <- do.call(rbind, lapply(split(raw$calls, raw$day), as.numeric))  # [day, slot], rows in date order
totals <- rowSums(calls)
wday <- function(d) (as.integer(format(d, "%u")) - 1L)  # 0 = Monday

last_day <- max(days)
last_origin_day <- last_day - wday(last_day) + origin_wday
if (last_origin_day > last_day) last_origin_day <- last_origin_day - 7
scored_from <- last_origin_day - 7 * (weeks - 1)
leads <- function(h) c(max(1, h - 6), h)
max_h <- max(horizons)
first_origin <- scored_from - 7 * ((leads(max_h)[1] - 1) %/% 7)

peers <- list(
  ets = function(y, h) forecast(ets(y), h = h)$mean,
  stl_ets = function(y, h) stlf(y, h = h, method = "ets")$mean,
  tbats = function(y, h) forecast(tbats(y, use.parallel = FALSE), h = h)$mean,
  dhr_fourier_arima = function(y, h) {
    fit <- auto.arima(y, xreg = fourier(y, K = 2), seasonal = FALSE)
    forecast(fit, xreg = fourier(y, K = 2, h = h), h = h)$mean
  }
)

acc <- list()
for (p in names(peers)) for (h in horizons) acc[[paste(p, h)]] <- c(abs = 0, act = 0, fc = 0, ape = 0, n = 0)

origin <- first_origin
while (origin <= last_day) {
  use <- which(days < origin)
  if (length(use) >= 20) {
    # Monday-Friday series up to the origin, gaps interpolated.
    cal <- seq(days[1], origin - 1, by = "day")
    cal <- cal[wday(cal) < 5]
    y <- rep(NA_real_, length(cal))
    y[match(days[use], cal)] <- totals[use]
    y <- na.interp(ts(y, frequency = 5))
    targets <- which(days >= origin & days >= scored_from & as.integer(days - origin) + 1 <= max_h)
    if (length(targets) > 0) {
      ahead <- seq(origin, max(days[targets]), by = "day")
      ahead <- ahead[wday(ahead) < 5]
      for (p in names(peers)) {
        f <- as.numeric(peers[[p]](y, length(ahead)))
        for (t in targets) {
          lead <- as.integer(days[t] - origin) + 1
          same <- rev(use[wday(days[use]) == wday(days[t])])
          same <- same[seq_len(min(8, length(same)))]
          share <- colMeans(calls[same, , drop = FALSE] / totals[same])
          fi <- f[match(days[t], ahead)] * share
          for (h in horizons) {
            r <- leads(h)
            if (lead < r[1] || lead > r[2]) next
            k <- paste(p, h)
            acc[[k]] <- acc[[k]] + c(sum(abs(calls[t, ] - fi)), totals[t], sum(fi), abs(totals[t] - sum(fi)) / totals[t], 1)
          }
        }
      }
    }
  }
  origin <- origin + 7
}

cat(sprintf("R forecast %s peers; origins every %s; scored %s to %s (%d weeks)\n", packageVersion("forecast"),
            c("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[origin_wday + 1], scored_from, last_day, weeks))
cat(sprintf("%-9s %-20s %7s %7s %7s %5s\n", "horizon", "method", "WAPE", "MAPE-d", "bias", "days"))
for (h in horizons) for (p in names(peers)) {
  a <- acc[[paste(p, h)]]
  cat(sprintf("%-9s %-20s %7.4f %7.4f %+7.4f %5d\n", paste0(h, "d"), p, a["abs"] / a["act"], a["ape"] / a["n"], a["fc"] / a["act"] - 1,
              as.integer(a["n"])))
}
