// sim sources land here.
