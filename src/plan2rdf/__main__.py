from plan2rdf.cli.commands import main

main()
