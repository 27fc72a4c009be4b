"""The RSI backtest of the bundled Binance minute file in backtrader (a peer to measure against).

Same rules as autotrade's RSI strategy with its defaults: Wilder's RSI(14), buy 1,000 USDT while flat when
the RSI crosses up through 30, sell the whole position when it crosses down through 70, market orders
filled at the next bar's open, 0.05% commission, 10,000 USDT cash. Runs bar by bar (runonce=False) unless
given --vectorised. Usage (a backtrader source checkout on PYTHONPATH):

    PYTHONPATH=/path/to/backtrader python3 rsi_backtest.py data/binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv
"""
import sys
import time

import backtrader as bt


class Rsi(bt.Strategy):
    def __init__(self):
        self.rsi = bt.indicators.RSI(self.data.close, period=14, safediv=True)

    def next(self):
        if len(self.rsi) < 2:
            return
        before, now = self.rsi[-1], self.rsi[0]
        if not self.position and before < 30 <= now:
            self.buy(size=1000.0 / self.data.close[0])
        elif self.position and before > 70 >= now:
            self.close()


def main(path, vectorised):
    cerebro = bt.Cerebro(runonce=vectorised, preload=True, stdstats=False)
    data = bt.feeds.GenericCSVData(dataname=path, dtformat='%Y-%m-%d %H:%M:%S+00:00', datetime=0, open=1, high=2,
                                   low=3, close=4, volume=5, openinterest=-1, timeframe=bt.TimeFrame.Minutes)
    cerebro.adddata(data)
    cerebro.addstrategy(Rsi)
    cerebro.broker.setcash(10000.0)
    cerebro.broker.setcommission(commission=0.0005)
    started = time.perf_counter()
    cerebro.run()
    took = time.perf_counter() - started
    bars = len(data)
    print(f"backtrader: {bars} bars in {took:.2f} s ({bars / took:.0f} bars/s), final value {cerebro.broker.getvalue():.2f}")


if __name__ == '__main__':
    main(sys.argv[1], '--vectorised' in sys.argv)
