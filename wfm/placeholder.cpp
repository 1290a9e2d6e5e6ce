// wfm sources land here.
