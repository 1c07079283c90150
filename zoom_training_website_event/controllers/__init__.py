from . import join
