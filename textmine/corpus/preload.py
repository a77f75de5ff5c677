"""Imported once by the process pool's forkserver (``set_forkserver_preload``):
the models load there, and every worker forked from it starts warm and shares
those pages instead of loading its own copy."""

from .work import warm_up

warm_up()
