from plan2rdf.cli import main

main()
