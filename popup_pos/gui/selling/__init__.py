"""The selling window's parts, one module per panel or family of actions, bound into
`MainWindow` as its methods; they see the window as the `SellingWindow` of window.py."""
