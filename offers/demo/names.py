"""Names for demo members: small built-in lists, grouped by naming tradition.

A member's first and last names usually come from one tradition (90 %), sometimes
from two. Taiwanese names are written the way Taiwan romanises them (given name
hyphenated, e.g. Wei-Ting Chen), since the programme also serves Taiwan.
"""

NAME_GROUPS = (
    # (weight, first names, last names)
    (
        0.36,
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Susan Emily Daniel Sarah "
        "Matthew Jessica Andrew Ashley Joshua Megan Ryan Rachel Tyler Lauren Kevin Hannah Brian Olivia Ethan".split(),
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin "
        "Thompson White Harris Clark Lewis Walker Hall Young Allen King Wright Scott Green Baker Adams Nelson".split(),
    ),
    (
        0.18,
        "Maria Jose Carlos Ana Luis Sofia Miguel Valentina Diego Camila Javier Lucia Alejandro Isabella Mateo "
        "Gabriela Fernando Daniela Ricardo Carmen".split(),
        "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez "
        "Diaz Reyes Morales Cruz Ortiz Gutierrez Castillo".split(),
    ),
    (
        0.14,
        "Wei-Ting Yu-Chen Chia-Hao Shu-Fen Mei-Ling Chih-Wei Hsin-Yi Po-Han Yi-Ting Chun-Hung Ya-Ting Kuan-Yu "
        "Pei-Shan Tzu-Hsuan Jia-Hui Wei Ming Xiaoling Jun Lei".split(),
        "Chen Lin Huang Chang Li Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Kuo Hung Tseng Chiu Liao Lai Chou".split(),
    ),
    (
        0.08,
        "Aarav Priya Rohan Ananya Vikram Kavya Arjun Neha Sanjay Divya Rahul Pooja".split(),
        "Patel Sharma Singh Kumar Gupta Reddy Iyer Nair Rao Mehta Shah Desai".split(),
    ),
    (
        0.12,
        "Lukas Emma Luca Giulia Pierre Camille Jan Anna Sven Ingrid Piotr Katarzyna Sean Siobhan Nikos Eleni".split(),
        "Muller Rossi Dubois Bianchi Novak Kowalski Larsen Johansson Murphy Kelly Papadopoulos Schmidt "
        "Moreau Romano Jansen Horvat".split(),
    ),
    (
        0.08,
        "Amara Kwame Aisha Malik Zainab Tunde Imani Jamal Nia Kofi Fatima Omar Yasmin Hassan".split(),
        "Okafor Mensah Adeyemi Diallo Abdullah Haddad Mwangi Osei Ibrahim Nasser Kamara Mohammed".split(),
    ),
)
MIXED_NAME_PROBABILITY = 0.1
